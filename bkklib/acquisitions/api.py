"""REST API of acquisitions under /api/v1/acquisitions/ (wired by bkklib/api_urls.py).

Staff only. Reads: funds, vendors, orders with lines and copies, requests, the follow-up figures.
Writes: an order's lifecycle (create, add a line, approve, place, receive, cancel, invoice) and
transfers. Every refusal is problem JSON with the rule's ``code`` (``negative_price``, ``bad_vat``,
``year_closed``, ``over_receipt``, ``insufficient_funds``...) and nothing is stored.
"""
from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.catalog.models import Record
from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.core.calendar import fiscal_year
from bkklib.network import access
from bkklib.network.models import Branch

from . import queries, rules, services
from .models import Fund, Order, OrderCopy, OrderLine, Request, Vendor


class FundSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    free = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "fiscal_year", "branch", "code", "name", "budget", "committed", "spent", "free", "overdraft"]


class VendorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "tax_id", "contact_name", "phone", "email", "address", "delivery_days", "terms",
                  "is_active"]


class CopySerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    barcode = serializers.CharField(source="item.barcode", read_only=True, default=None)

    class Meta:
        model = OrderCopy
        fields = ["id", "copy_no", "branch", "fund", "shelving_location", "cost", "status", "barcode",
                  "received_at"]


class LineSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="record.title", read_only=True)
    copies = CopySerializer(many=True, read_only=True)

    class Meta:
        model = OrderLine
        fields = ["id", "record", "title", "request", "quantity", "unit_price", "discount_pct", "vat_pct", "copies"]


class OrderSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ["id", "number", "fiscal_year", "vendor", "branch", "status", "approved_at", "ordered_on",
                  "expected_by", "note", "lines"]


class RequestSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Request
        fields = ["id", "branch", "title", "author", "isbn", "status", "decline_reason", "created_at", "decided_at"]


class YearParams(QueryParams):
    year = serializers.IntegerField(required=False, min_value=2500, max_value=2700,
                                    help_text=_("Fiscal year (Buddhist Era)"))


class OrderParams(YearParams):
    status = serializers.ChoiceField(choices=Order.Status.choices, required=False)


class FundList(ListAPIView):
    """Funds of the caller's branches, optionally of one fiscal year."""

    serializer_class = FundSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "acquisitions.view_fund"}

    @extend_schema(parameters=[YearParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return queries.funds(self.request.user, query_params(self.request, YearParams).get("year"))


class VendorList(ListAPIView):
    serializer_class = VendorSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "acquisitions.view_vendor"}
    queryset = Vendor.objects.order_by("name")


class RequestList(ListAPIView):
    serializer_class = RequestSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "acquisitions.view_request"}

    def get_queryset(self):
        return queries.requests(self.request.user)


class OrderInput(serializers.Serializer):
    vendor = serializers.IntegerField()
    branch = serializers.SlugField(help_text=_("Branch code"))
    fiscal_year = serializers.IntegerField(required=False, min_value=2500, max_value=2700)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OrderList(ListAPIView):
    """Orders of the caller's branches (GET); start a selection list (POST)."""

    serializer_class = OrderSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "acquisitions.view_order", "POST": "acquisitions.add_order"}

    @extend_schema(parameters=[OrderParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, OrderParams)
        return (queries.orders(self.request.user, status=params.get("status", ""), year=params.get("year"))
                .prefetch_related("lines__record", "lines__copies__branch", "lines__copies__item"))

    @extend_schema(request=OrderInput, responses={201: OrderSerializer})
    def post(self, request):
        data = OrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        branch = get_object_or_404(Branch, code=v["branch"])
        access.require(request.user, "acquisitions.add_order", at=branch)
        vendor = get_object_or_404(Vendor, pk=v["vendor"])
        order = services.create_order(vendor=vendor, branch=branch, by=request.user, note=v["note"],
                                      year=v.get("fiscal_year") or fiscal_year(timezone.localdate()))
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetail(RetrieveAPIView):
    serializer_class = OrderSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "acquisitions.view_order"}

    def get_queryset(self):
        return queries.orders(self.request.user).prefetch_related("lines__record", "lines__copies__branch",
                                                                  "lines__copies__item")


class AllocationInput(serializers.Serializer):
    branch = serializers.SlugField()
    fund = serializers.IntegerField()
    shelving_location = serializers.CharField(required=False, allow_blank=True, default="")
    copies = serializers.IntegerField(min_value=0)


class LineInput(serializers.Serializer):
    record = serializers.IntegerField(required=False, help_text=_("An existing catalog record"))
    title = serializers.CharField(required=False, allow_blank=True, default="")
    author = serializers.CharField(required=False, allow_blank=True, default="")
    isbn = serializers.CharField(required=False, allow_blank=True, default="")
    request = serializers.IntegerField(required=False)
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=_("Baht; refused below 0"))
    discount_pct = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, default=0)
    vat_pct = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, default=0,
                                       help_text=_("0–100; refused above 100"))
    allocations = AllocationInput(many=True)


class LineCreate(APIView):
    """Add a title to a selection list: POST /api/v1/acquisitions/orders/{id}/lines/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "acquisitions.change_order"}

    @extend_schema(request=LineInput, responses={201: LineSerializer})
    def post(self, request, pk: int):
        order = get_object_or_404(queries.orders(request.user), pk=pk)
        data = LineInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        allocations = []
        for a in v["allocations"]:
            branch = get_object_or_404(Branch, code=a["branch"])
            fund = get_object_or_404(Fund, pk=a["fund"])
            allocations.append((branch, fund, a["shelving_location"], a["copies"]))
        record = get_object_or_404(Record, pk=v["record"]) if v.get("record") else None
        req = get_object_or_404(queries.requests(request.user), pk=v["request"]) if v.get("request") else None
        line = services.add_line(order=order, record=record, title=v["title"], author=v["author"], isbn=v["isbn"],
                                 request=req, quantity=v["quantity"], unit_price=v["unit_price"],
                                 discount_pct=v["discount_pct"], vat_pct=v["vat_pct"], allocations=allocations,
                                 by=request.user)
        return Response(LineSerializer(line).data, status=status.HTTP_201_CREATED)


class InspectionInput(serializers.Serializer):
    line = serializers.IntegerField()
    received = serializers.IntegerField(default=0)
    short = serializers.IntegerField(default=0)
    damaged = serializers.IntegerField(default=0)
    wrong_title = serializers.IntegerField(default=0)


class ActionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    token = serializers.UUIDField(required=False, help_text=_("Repeat a delivery with the same token: nothing more"))
    received_on = serializers.DateField(required=False)
    lines = InspectionInput(many=True, required=False)
    invoice_number = serializers.CharField(required=False, allow_blank=True, default="")
    invoiced_on = serializers.DateField(required=False)


class OrderAction(APIView):
    """approve, place, receive, cancel or invoice an order: POST /api/v1/acquisitions/orders/{id}/{action}/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    action_name = ""
    PERMS = {"approve": "acquisitions.approve_order", "place": "acquisitions.change_order",
             "receive": "acquisitions.receive_order", "cancel": "acquisitions.change_order",
             "invoice": "acquisitions.change_order"}

    @property
    def write_perms(self):
        return {"POST": self.PERMS[self.action_name]}

    @extend_schema(request=ActionInput, responses=OrderSerializer)
    def post(self, request, pk: int):
        order = get_object_or_404(queries.orders(request.user), pk=pk)
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = request.user
        if self.action_name == "approve":
            services.approve_order(order=order, by=user)
        elif self.action_name == "place":
            services.place_order(order=order, by=user)
        elif self.action_name == "receive":
            counts = {i["line"]: rules.Inspection(received=i["received"], short=i["short"], damaged=i["damaged"],
                                                  wrong_title=i["wrong_title"]) for i in v.get("lines", [])}
            services.receive(order=order, counts=counts, token=v.get("token"), received_on=v.get("received_on"),
                             by=user)
        elif self.action_name == "cancel":
            services.cancel_copies(order=order, reason=v["reason"], by=user)
        elif self.action_name == "invoice":
            services.record_invoice(order=order, number=v["invoice_number"],
                                    invoiced_on=v.get("invoiced_on") or timezone.localdate(), by=user)
        order = queries.orders(user).prefetch_related("lines__record", "lines__copies__branch",
                                                      "lines__copies__item").get(pk=order.pk)
        return Response(OrderSerializer(order).data)


class TransferInput(serializers.Serializer):
    source = serializers.IntegerField()
    target = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reason = serializers.CharField(max_length=300)


class FundTransfer(APIView):
    """Move free budget between two funds of one fiscal year, with a reason."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "acquisitions.transfer_fund"}

    @extend_schema(request=TransferInput, responses=FundSerializer(many=True))
    def post(self, request):
        data = TransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        funds = queries.funds(request.user)
        source, target = get_object_or_404(funds, pk=v["source"]), get_object_or_404(funds, pk=v["target"])
        services.transfer(source=source, target=target, amount=v["amount"], reason=v["reason"], by=request.user)
        return Response(FundSerializer(funds.filter(pk__in=[source.pk, target.pk]), many=True).data)


class FollowUpParams(YearParams):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text=_("YYYY-MM (Common Era)"))


class FollowUp(APIView):
    """The monthly follow-up figures per branch of the caller's branches."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "acquisitions.view_acquisitions_report"}

    @extend_schema(parameters=[FollowUpParams], responses={200: dict})
    def get(self, request):
        from datetime import date

        params = query_params(request, FollowUpParams)
        today = timezone.localdate()
        month = date.fromisoformat(params["month"] + "-01") if params.get("month") else today.replace(day=1)
        report = queries.follow_up(year=params.get("year") or fiscal_year(today), month=month, today=today,
                                   branches=access.branches_for(request.user, "acquisitions.view_acquisitions_report"))

        def row(r):
            return {"branch": r.branch.code if r.branch else None, "requested": r.requested,
                    "requested_month": r.requested_month, "ordered": r.ordered, "ordered_month": r.ordered_month,
                    "received": r.received, "received_month": r.received_month, "on_shelf": r.on_shelf,
                    "cancelled": r.cancelled, "late": r.late, "donated": r.donated, "budget": f"{r.budget:.2f}",
                    "committed": f"{r.committed:.2f}", "spent": f"{r.spent:.2f}", "free": f"{r.free:.2f}"}

        return Response({"fiscal_year": report.year, "month": month.isoformat(), "rows": [row(r) for r in report.rows],
                         "total": row(report.total),
                         "late_orders": [{"id": o.pk, "number": o.number, "expected_by": o.expected_by,
                                          "outstanding": o.outstanding} for o in report.late_orders]})


urlpatterns = [
    path("acquisitions/funds/", FundList.as_view(), name="api-acquisitions-funds"),
    path("acquisitions/funds/transfer/", FundTransfer.as_view(), name="api-acquisitions-transfer"),
    path("acquisitions/vendors/", VendorList.as_view(), name="api-acquisitions-vendors"),
    path("acquisitions/requests/", RequestList.as_view(), name="api-acquisitions-requests"),
    path("acquisitions/orders/", OrderList.as_view(), name="api-acquisitions-orders"),
    path("acquisitions/orders/<int:pk>/", OrderDetail.as_view(), name="api-acquisitions-order"),
    path("acquisitions/orders/<int:pk>/lines/", LineCreate.as_view(), name="api-acquisitions-order-lines"),
    *[path(f"acquisitions/orders/<int:pk>/{name}/", OrderAction.as_view(action_name=name),
           name=f"api-acquisitions-order-{name}") for name in OrderAction.PERMS],
    path("acquisitions/follow-up/", FollowUp.as_view(), name="api-acquisitions-follow-up"),
]
