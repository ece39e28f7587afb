"""REST API of circulation (wired under /api/v1/ by bkklib/api_urls.py).

Adapters only (docs/architecture.md): parse with an input serializer, call the verb, render. The desk is the
staff session's, or an explicit ``desk`` (a branch code) that must be one of the user's branches
today. Refusals come back as problem JSON with the reason as ``code``; nothing is changed.
"""
from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.catalog import queries as catalog_queries
from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.network import access
from bkklib.network.models import Branch

from . import queries, services
from .api_places import PickupPlaceList, PickupPlaceSerializer, pickup_place_data
from .exceptions import InvalidPatronData
from .models import Fine, Hold, Loan, Patron, PatronCategory
from .services import common

# --- Output ------------------------------------------------------------------------------------------


class PatronSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    home_branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Patron
        fields = ["id", "card_number", "status", "full_name", "first_name_th", "last_name_th", "first_name_en",
                  "last_name_en", "category", "home_branch", "card_expires_on", "phone", "email", "language",
                  "keeps_loan_history"]


class LoanSerializer(serializers.ModelSerializer):
    item_barcode = serializers.CharField(source="item.barcode", read_only=True)
    title = serializers.CharField(source="item.record.title", read_only=True)
    patron_card = serializers.SerializerMethodField()
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Loan
        fields = ["id", "item_barcode", "title", "patron_card", "branch", "checked_out_at", "due_on", "renewals",
                  "returned_at"]

    def get_patron_card(self, loan) -> str | None:
        return loan.patron.card_number if loan.patron_id else None


class HoldSerializer(serializers.ModelSerializer):
    record = serializers.IntegerField(source="record_id", read_only=True)
    title = serializers.CharField(source="record.title", read_only=True)
    patron_card = serializers.CharField(source="patron.card_number", read_only=True)
    pickup_branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    pickup_place = serializers.SerializerMethodField(
        help_text=_("where the hold is collected when not at a library (e.g. a mobile library stop): key and name"))
    item_barcode = serializers.SerializerMethodField()

    class Meta:
        model = Hold
        fields = ["id", "record", "title", "item_barcode", "patron_card", "pickup_branch", "pickup_place",
                  "position", "status", "placed_at", "expires_on", "suspended_until"]

    def get_item_barcode(self, hold) -> str | None:
        item = hold.trapped_item or hold.item
        return item.barcode if item else None

    @extend_schema_field(PickupPlaceSerializer(allow_null=True))
    def get_pickup_place(self, hold) -> dict | None:
        places = self.context.get("pickup_places")  # a list page: looked up once for the page
        return pickup_place_data(places.get(hold.pk) if places is not None else services.pickup_place_of(hold))


class FineSerializer(serializers.ModelSerializer):
    patron_card = serializers.CharField(source="patron.card_number", read_only=True)
    balance = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = Fine
        fields = ["id", "patron_card", "kind", "description", "amount", "paid", "waived", "balance", "created_at",
                  "settled_at"]


# --- Input -------------------------------------------------------------------------------------------


class DeskInput(serializers.Serializer):
    # Every desk request names its branch: load the few columns the verbs use (others load on demand).
    desk = serializers.SlugRelatedField(slug_field="code", required=False,
                                        queryset=Branch.objects.only("pk", "code", "name_th", "name_en", "status"),
                                        help_text="Branch code of the desk (default: the session's desk).")


def desk_for(request, data: dict, perm: str | None = None) -> Branch:
    """Return the desk of this request: the explicit ``desk`` (checked against assignments) or the session's.

    With ``perm`` the desk is checked for that permission at once (the verb then finds the check
    done); NotPermitted (403, ``not_at_this_branch``) when the user does not work there. Views call
    this before they look up the items, patrons and records of the request (order of checks:
    role, branch, then records).
    """
    explicit = data.get("desk")
    desk = access.desk_of(request) if explicit is None else explicit
    if perm is not None or explicit is not None:
        common.require(request.user, perm, desk, on=timezone.localdate())
    return desk


class DeskScope(permissions.BasePermission):
    """The desk of a write (the explicit ``desk`` code, else the session's) must be one where the caller
    may do it (``write_perms`` of the view): 403 before the body is validated or its records looked up.

    An unknown desk code is left to the input validation (400 naming ``desk``).
    """

    def has_permission(self, request, view):
        perm = getattr(view, "write_perms", {}).get(request.method)
        if perm is None:
            return True
        if hasattr(request.data, "get") and request.data.get("desk"):
            access.require_at_codes(request.user, perm, request.data, "desk")
        else:
            desk_for(request, {}, perm)
        return True


class CheckoutInput(DeskInput):
    item_barcode = serializers.CharField(max_length=40)
    patron_card = serializers.CharField(max_length=40)


class CheckinInput(DeskInput):
    item_barcode = serializers.CharField(max_length=40)


class RenewInput(DeskInput):
    item_barcode = serializers.CharField(max_length=40)


class HoldInput(DeskInput):
    patron_card = serializers.CharField(max_length=40)
    record = serializers.IntegerField(required=False)
    item_barcode = serializers.CharField(max_length=40, required=False, help_text="Hold this copy only.")
    pickup_branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all(), required=False)
    pickup_place = serializers.CharField(
        max_length=40, required=False,
        help_text=_("instead of pickup_branch: a pickup place outside the libraries, e.g. stop:12 (GET "
                    "/api/v1/holds/pickup-places/)"))

    def validate(self, attrs):
        if not attrs.get("record") and not attrs.get("item_barcode"):
            raise serializers.ValidationError({"record": [_("Give a record number or an item barcode.")]})
        if bool(attrs.get("pickup_branch")) == bool(attrs.get("pickup_place")):
            raise serializers.ValidationError({"pickup_branch": [_("Give a pickup branch or a pickup place, not both.")]})
        return attrs



class PaymentInput(DeskInput):
    patron_card = serializers.CharField(max_length=40)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    method = serializers.ChoiceField(choices=["cash", "qr", "card"], default="cash")


class PatronInput(DeskInput):
    category = serializers.SlugRelatedField(slug_field="code", queryset=PatronCategory.objects.all())
    first_name_th = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_th = serializers.CharField(max_length=100, required=False, allow_blank=True)
    first_name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    id_type = serializers.ChoiceField(choices=Patron.IdType.values, default=Patron.IdType.THAI_ID)
    national_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    passport_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    passport_country = serializers.CharField(max_length=3, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    guardian_card = serializers.CharField(max_length=40, required=False, allow_blank=True)
    card_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    consent_purposes = serializers.ListField(child=serializers.CharField(), default=list)
    pin = serializers.CharField(max_length=12, required=False, allow_blank=True, write_only=True,
                                help_text=_("PIN for the public website: 4 to 6 digits (Thai digits are read as 0–9)"))


class LoansQuery(QueryParams):
    all = serializers.ChoiceField(choices=["0", "1"], required=False,
                                  help_text=_("1: also the returned loans still linked to the patron"))


class HoldsQuery(QueryParams):
    patron = serializers.CharField(required=False, help_text=_("card number of the patron"))
    record = serializers.IntegerField(required=False, min_value=1, help_text=_("record id"))
    pickup_branch = serializers.CharField(required=False, help_text=_("branch code of the pickup branch"))
    status = serializers.ChoiceField(choices=Hold.Status.choices, required=False)


class FinesQuery(QueryParams):
    patron = serializers.CharField(required=False, help_text=_("card number of the patron"))
    open = serializers.ChoiceField(choices=["0", "1"], required=False,
                                   help_text=_("0: settled fines too (default 1: open ones only)"))


# --- Views -------------------------------------------------------------------------------------------


def _require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied()


class CheckoutView(APIView):
    """Lend an item at the desk: POST /api/v1/circulation/checkout/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission, DeskScope]
    write_perms = {"POST": "circulation.add_loan"}

    @extend_schema(request=CheckoutInput, responses={201: LoanSerializer})
    def post(self, request):
        data = CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        desk = desk_for(request, v, "circulation.add_loan")
        loan = services.checkout(
            item=catalog_queries.item_ref(v["item_barcode"]),  # the verb locks and reads the rows itself
            patron=queries.patron_ref(v["patron_card"]),
            staff=request.user,
            desk=desk,
        )
        return Response(LoanSerializer(loan).data, status=status.HTTP_201_CREATED)


class CheckinView(APIView):
    """Take an item back at the desk and say where it goes: POST /api/v1/circulation/checkin/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission, DeskScope]
    write_perms = {"POST": "circulation.change_loan"}

    @extend_schema(request=CheckinInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = CheckinInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        desk = desk_for(request, v, "circulation.change_loan")
        result = services.checkin(item=catalog_queries.item_ref(v["item_barcode"]), staff=request.user, desk=desk)
        return Response({
            "item_barcode": result.item.barcode,
            "destination": result.destination,
            "was_on_loan": result.was_on_loan,
            "loan": LoanSerializer(result.loan).data if result.loan else None,
            "fine": FineSerializer(result.fine).data if result.fine else None,
            "hold": result.hold.pk if result.hold else None,
            "transit_to": result.transit.to_branch.code if result.transit else None,
        })


class RenewView(APIView):
    """Renew the open loan of an item: POST /api/v1/circulation/renew/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission, DeskScope]
    write_perms = {"POST": "circulation.change_loan"}

    @extend_schema(request=RenewInput, responses={200: LoanSerializer})
    def post(self, request):
        data = RenewInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        desk = desk_for(request, v, "circulation.change_loan")
        item = catalog_queries.item_ref(v["item_barcode"])
        loan = queries.open_loan_of(item)
        if loan is None:
            from .exceptions import RenewalRefused

            raise RenewalRefused("loan_ended", barcode=item.barcode, field="item_barcode")
        loan = services.renew(loan=loan, staff=request.user, desk=desk)
        return Response(LoanSerializer(loan).data)


class PayView(APIView):
    """Take a payment and issue a numbered receipt: POST /api/v1/circulation/pay/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission, DeskScope]
    write_perms = {"POST": "circulation.add_receipt"}

    @extend_schema(request=PaymentInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        desk = desk_for(request, v, "circulation.add_receipt")
        receipt = services.pay(patron=queries.patron_by_card(v["patron_card"]), amount=v["amount"],
                               staff=request.user, desk=desk, method=v["method"])
        return Response({"receipt": receipt.label, "fiscal_year": receipt.fiscal_year, "number": receipt.number,
                         "total": str(receipt.total), "balance_after": str(receipt.balance_after),
                         "issued_at": receipt.issued_at}, status=status.HTTP_201_CREATED)


class PatronList(ListAPIView):
    """Find patrons (``?card=`` exact, ``?q=`` name/ID/phone) or register one at the desk (POST)."""

    serializer_class = PatronSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission, DeskScope]
    write_perms = {"POST": "circulation.add_patron"}

    @extend_schema(parameters=[OpenApiParameter("card", str), OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        _require_perm(request, "circulation.view_patron")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        card = self.request.query_params.get("card")
        text = self.request.query_params.get("q")
        if card:
            qs = Patron.objects.filter(card_number=card.strip())
        elif text:
            qs = Patron.objects.filter(pk__in=[p.pk for p in queries.search_patrons(text, limit=200)])
        else:
            qs = Patron.objects.exclude(status=Patron.Status.ERASED)
        return qs.select_related("category", "home_branch").order_by("card_number")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if request.query_params.get("card") or request.query_params.get("q"):
            for row in response.data["results"]:
                services.log_access(request.user, Patron(pk=row["id"]), path=request.path, purpose="API look-up")
        return response

    @extend_schema(request=PatronInput, responses={201: PatronSerializer})
    def post(self, request):
        data = PatronInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        desk = desk_for(request, v, "circulation.add_patron")
        v.pop("desk", None)
        purposes = v.pop("consent_purposes")
        card = v.pop("card_number", "") or None
        guardian_card = v.pop("guardian_card", "")
        if guardian_card:
            v["guardian"] = queries.patron_by_card(guardian_card)
        try:
            patron = services.register_patron(staff=request.user, desk=desk, consent_purposes=purposes,
                                              card_number=card, **{k: x for k, x in v.items() if x is not None})
        except TypeError as exc:  # an unknown field is a programming error of the client
            raise InvalidPatronData(reason=str(exc)) from None
        return Response(PatronSerializer(patron).data, status=status.HTTP_201_CREATED)


class PatronDetail(RetrieveAPIView):
    """One patron (the access is logged)."""

    serializer_class = PatronSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Patron.objects.select_related("category", "home_branch")

    def retrieve(self, request, *args, **kwargs):
        _require_perm(request, "circulation.view_patron")
        patron = self.get_object()
        services.log_access(request.user, patron, path=request.path, purpose="API")
        return Response(self.get_serializer(patron).data)


class PatronLoans(ListAPIView):
    """The patron's open loans (``?all=1``: with the returned ones still linked to them)."""

    serializer_class = LoanSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[LoansQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: the model, not the rows
            return Loan.objects.none()
        _require_perm(self.request, "circulation.view_loan")
        params = query_params(self.request, LoansQuery)
        patron = queries.patron_by_id(self.kwargs["pk"])
        services.log_access(self.request.user, patron, path=self.request.path, purpose="API loans")
        return queries.loans_of(patron, include_returned=params.get("all") == "1").select_related("patron")


class HoldList(ListAPIView):
    """Holds (``?patron=CARD``, ``?record=ID``, ``?pickup_branch=CODE&status=ready``); POST places one."""

    serializer_class = HoldSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission, DeskScope]
    write_perms = {"POST": "circulation.add_hold"}

    @extend_schema(parameters=[HoldsQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Hold.objects.none()
        _require_perm(self.request, "circulation.view_hold")
        qs = Hold.objects.select_related("record", "patron", "pickup_branch", "item", "trapped_item")
        params = query_params(self.request, HoldsQuery)
        if card := params.get("patron"):
            qs = qs.filter(patron=queries.patron_by_card(card))
        if record := params.get("record"):
            qs = qs.filter(record_id=record)
        if branch := params.get("pickup_branch"):
            qs = qs.filter(pickup_branch__code=branch)
        if state := params.get("status"):
            qs = qs.filter(status=state)
        return qs.order_by("record_id", "position")

    def get_serializer(self, *args, **kwargs):
        if args and isinstance(args[0], list):  # the page of holds: their pickup places in one look-up
            kwargs.setdefault("context", self.get_serializer_context())["pickup_places"] = \
                services.pickup_places_of(args[0])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(request=HoldInput, responses={201: HoldSerializer})
    def post(self, request):
        data = HoldInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        desk = desk_for(request, v, "circulation.add_hold")
        item = catalog_queries.item_by_barcode(v["item_barcode"]) if v.get("item_barcode") else None
        record = item.record if item else catalog_queries.record_by_id(v["record"])
        hold = services.place_hold(record=record, patron=queries.patron_by_card(v["patron_card"]),
                                   pickup_branch=v.get("pickup_branch"), pickup_place=v.get("pickup_place", ""),
                                   item=item, staff=request.user, desk=desk, now=timezone.now())
        return Response(HoldSerializer(hold).data, status=status.HTTP_201_CREATED)


class HoldDetail(APIView):
    """GET a hold; DELETE cancels it (at the session's desk)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission, DeskScope]
    write_perms = {"DELETE": "circulation.change_hold"}

    @extend_schema(responses={200: HoldSerializer})
    def get(self, request, pk):
        _require_perm(request, "circulation.view_hold")
        return Response(HoldSerializer(queries.hold_by_id(pk)).data)

    @extend_schema(parameters=[OpenApiParameter("reason", str)], responses={200: HoldSerializer})
    def delete(self, request, pk):
        desk = desk_for(request, {}, "circulation.change_hold")
        hold = services.cancel_hold(queries.hold_by_id(pk), staff=request.user, desk=desk,
                                    reason=request.query_params.get("reason", "API"))
        return Response(HoldSerializer(hold).data)


class FineList(ListAPIView):
    """Fines and fees (``?patron=CARD``; ``?open=0`` for settled ones too)."""

    serializer_class = FineSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[FinesQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Fine.objects.none()
        _require_perm(self.request, "circulation.view_fine")
        params = query_params(self.request, FinesQuery)
        qs = Fine.objects.select_related("patron")
        if card := params.get("patron"):
            qs = qs.filter(patron=queries.patron_by_card(card))
        if params.get("open", "1") != "0":
            qs = qs.filter(settled_at__isnull=True)
        return qs.order_by("created_at", "pk")


urlpatterns = [
    path("circulation/checkout/", CheckoutView.as_view(), name="api-circulation-checkout"),
    path("circulation/checkin/", CheckinView.as_view(), name="api-circulation-checkin"),
    path("circulation/renew/", RenewView.as_view(), name="api-circulation-renew"),
    path("circulation/pay/", PayView.as_view(), name="api-circulation-pay"),
    path("patrons/", PatronList.as_view(), name="api-patron-list"),
    path("patrons/<int:pk>/", PatronDetail.as_view(), name="api-patron-detail"),
    path("patrons/<int:pk>/loans/", PatronLoans.as_view(), name="api-patron-loans"),
    path("holds/", HoldList.as_view(), name="api-hold-list"),
    path("holds/pickup-places/", PickupPlaceList.as_view(), name="api-hold-pickup-places"),
    path("holds/<int:pk>/", HoldDetail.as_view(), name="api-hold-detail"),
    path("fines/", FineList.as_view(), name="api-fine-list"),
]
