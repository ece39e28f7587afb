"""REST API of the e-library under /api/v1/elibrary/ (wired by bkklib/api_urls.py).

Adapters only: parse, call a query or a verb, render. Titles are public to read; licences, loans and holds
need staff permissions (patron data in loans and holds is logged in the access log).
"""
from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.circulation import queries as circulation_queries
from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.core.pdpa import log_access

from . import queries
from .exceptions import ElibraryRefused
from .models import EHold, ELoan, Licence, Title
from .services import lending, licences

# --- Output ------------------------------------------------------------------------------------------


class TitleSerializer(serializers.ModelSerializer):
    record = serializers.IntegerField(source="record_id", read_only=True)
    available = serializers.SerializerMethodField()

    class Meta:
        model = Title
        fields = ["id", "record", "title", "authors", "language", "isbn", "subjects", "description", "publisher",
                  "year", "format", "media_type", "size", "sha256", "loans_count", "created_at", "available"]

    def get_available(self, title) -> bool | None:
        avail = self.context.get("avail", {}).get(title.pk)
        return None if avail is None else avail.can_borrow


class LicenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Licence
        fields = ["id", "title", "kind", "copies", "loans_total", "loans_used", "starts_on", "expires_on", "price",
                  "vendor", "reference", "note"]
        read_only_fields = ["loans_used"]
        validators = []  # the model's constraints answer through full_clean in the service


class ELoanSerializer(serializers.ModelSerializer):
    title_name = serializers.CharField(source="title.title", read_only=True)
    patron_card = serializers.SerializerMethodField()

    class Meta:
        model = ELoan
        fields = ["id", "title", "title_name", "licence", "patron_card", "channel", "started_at", "ends_at",
                  "returned_at", "ended"]

    def get_patron_card(self, loan) -> str | None:
        return loan.patron.card_number if loan.patron_id else None


class EHoldSerializer(serializers.ModelSerializer):
    title_name = serializers.CharField(source="title.title", read_only=True)
    patron_card = serializers.SerializerMethodField()

    class Meta:
        model = EHold
        fields = ["id", "title", "title_name", "patron_card", "status", "placed_at", "ready_at", "expires_at"]

    def get_patron_card(self, hold) -> str | None:
        return hold.patron.card_number if hold.patron_id else None


# --- Input -------------------------------------------------------------------------------------------


class TitlesQuery(QueryParams):
    q = serializers.CharField(required=False, max_length=200, help_text=_("words of the title, author or subject"))
    file_format = serializers.ChoiceField(choices=Title.Format.choices, required=False,
                                          help_text=_("epub, pdf, audio or stream"))


class PatronQuery(QueryParams):
    patron = serializers.CharField(required=False, max_length=32, help_text=_("card number of the patron"))
    active = serializers.ChoiceField(choices=["0", "1"], required=False, help_text=_("1: only running loans or holds"))


class BorrowInput(serializers.Serializer):
    title = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    patron_card = serializers.CharField(max_length=32)


class LoanInput(serializers.Serializer):
    loan = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class HoldCancelInput(serializers.Serializer):
    hold = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied()


# --- Views -------------------------------------------------------------------------------------------


class TitleList(ListAPIView):
    """E-library titles, newest first (``?q=`` searches the catalog index; ``?file_format=epub``)."""

    serializer_class = TitleSerializer
    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[TitlesQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, TitlesQuery)
        if params.get("q"):
            ids = [t.pk for t in queries.search_titles(params["q"])]
            qs = Title.objects.lendable().filter(pk__in=ids)
        else:
            qs = queries.new_titles()
        if params.get("file_format"):
            qs = qs.filter(format=params["file_format"])
        return qs.order_by("-created_at", "-id")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["avail"] = getattr(self, "_avail", {})
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._avail = queries.availability_of([t.pk for t in page or []], today=timezone.localdate())
        return page


class TitleDetail(RetrieveAPIView):
    """One title with whether a copy is free now."""

    serializer_class = TitleSerializer
    permission_classes = [permissions.AllowAny]

    def retrieve(self, request, *args, **kwargs):
        title = queries.title_by_id(kwargs["pk"])
        avail = queries.availability_of([title.pk], today=timezone.localdate())
        return Response(TitleSerializer(title, context={"avail": avail}).data)


class LicenceList(ListAPIView):
    """Licences (``?title=ID``); POST adds one (perm ``elibrary.add_licence``)."""

    serializer_class = LicenceSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "elibrary.add_licence"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema asks without a user
            return Licence.objects.none()
        _require(self.request, "elibrary.view_licence")
        return Licence.objects.order_by("pk")

    @extend_schema(request=LicenceSerializer, responses={201: LicenceSerializer})
    def post(self, request):
        data = LicenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        licence = licences.save_licence(Licence(**data.validated_data), user=request.user, reason="API")
        return Response(LicenceSerializer(licence).data, status=status.HTTP_201_CREATED)


class LicenceDetail(RetrieveAPIView):
    serializer_class = LicenceSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Licence.objects.all()

    def retrieve(self, request, *args, **kwargs):
        _require(request, "elibrary.view_licence")
        return super().retrieve(request, *args, **kwargs)


class _LogsPatrons:
    """Staff reading e-loans or e-holds see card numbers: each patron on the page is logged (PDPA)."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for patron in {row.patron for row in page or [] if row.patron_id}:
            log_access(self.request.user, patron, path=self.request.path, purpose="API e-library")
        return page


def _patron_filter(request, qs, active_filter):
    params = query_params(request, PatronQuery)
    if card := params.get("patron"):
        patron = circulation_queries.patron_by_card(card)
        qs = qs.filter(patron=patron)
    if params.get("active") == "1":
        qs = qs.filter(active_filter)
    return qs


class LoanList(_LogsPatrons, ListAPIView):
    """E-loans (``?patron=CARD``, ``?active=1``)."""

    serializer_class = ELoanSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[PatronQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from django.db.models import Q

        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema asks without a user
            return ELoan.objects.none()
        _require(self.request, "elibrary.view_eloan")
        qs = ELoan.objects.select_related("title", "patron").order_by("-started_at", "-pk")
        return _patron_filter(self.request, qs, Q(returned_at__isnull=True))


class HoldList(_LogsPatrons, ListAPIView):
    """E-holds (``?patron=CARD``, ``?active=1``)."""

    serializer_class = EHoldSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[PatronQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from django.db.models import Q

        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema asks without a user
            return EHold.objects.none()
        _require(self.request, "elibrary.view_ehold")
        qs = EHold.objects.select_related("title", "patron").order_by("title_id", "placed_at", "pk")
        return _patron_filter(self.request, qs, Q(status__in=("waiting", "ready")))


class BorrowView(APIView):
    """Lend a title to a patron (a desk helping a reader): POST /api/v1/elibrary/borrow/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "elibrary.add_eloan"}

    @extend_schema(request=BorrowInput, responses={201: ELoanSerializer})
    def post(self, request):
        data = BorrowInput(data=request.data)
        data.is_valid(raise_exception=True)
        patron = circulation_queries.patron_by_card(data.validated_data["patron_card"])
        loan = lending.borrow(patron=patron, title=queries.title_by_id(data.validated_data["title"]),
                              channel=ELoan.Channel.API)
        return Response(ELoanSerializer(loan).data, status=status.HTTP_201_CREATED)


class ReturnView(APIView):
    """End an e-loan now: POST /api/v1/elibrary/return/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "elibrary.change_eloan"}

    @extend_schema(request=LoanInput, responses={200: ELoanSerializer})
    def post(self, request):
        data = LoanInput(data=request.data)
        data.is_valid(raise_exception=True)
        loan = ELoan.objects.filter(pk=data.validated_data["loan"]).first()
        if loan is None:
            raise ElibraryRefused("loan_not_active")
        return Response(ELoanSerializer(lending.return_loan(loan)).data)


class HoldView(APIView):
    """Put a patron in the queue for a title: POST /api/v1/elibrary/hold/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "elibrary.add_ehold"}

    @extend_schema(request=BorrowInput, responses={201: EHoldSerializer})
    def post(self, request):
        data = BorrowInput(data=request.data)
        data.is_valid(raise_exception=True)
        patron = circulation_queries.patron_by_card(data.validated_data["patron_card"])
        hold = lending.place_hold(patron=patron, title=queries.title_by_id(data.validated_data["title"]))
        return Response(EHoldSerializer(hold).data, status=status.HTTP_201_CREATED)


class CancelHoldView(APIView):
    """Cancel an e-hold: POST /api/v1/elibrary/cancel-hold/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "elibrary.change_ehold"}

    @extend_schema(request=HoldCancelInput, responses={200: EHoldSerializer})
    def post(self, request):
        data = HoldCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        hold = EHold.objects.filter(pk=data.validated_data["hold"]).first()
        if hold is None:
            raise ElibraryRefused("hold_not_active")
        return Response(EHoldSerializer(lending.cancel_hold(hold)).data)


urlpatterns = [
    path("elibrary/titles/", TitleList.as_view(), name="elibrary-titles"),
    path("elibrary/titles/<int:pk>/", TitleDetail.as_view(), name="elibrary-title"),
    path("elibrary/licences/", LicenceList.as_view(), name="elibrary-licences"),
    path("elibrary/licences/<int:pk>/", LicenceDetail.as_view(), name="elibrary-licence"),
    path("elibrary/loans/", LoanList.as_view(), name="elibrary-loans"),
    path("elibrary/holds/", HoldList.as_view(), name="elibrary-holds"),
    path("elibrary/borrow/", BorrowView.as_view(), name="elibrary-borrow"),
    path("elibrary/return/", ReturnView.as_view(), name="elibrary-return"),
    path("elibrary/hold/", HoldView.as_view(), name="elibrary-hold"),
    path("elibrary/cancel-hold/", CancelHoldView.as_view(), name="elibrary-cancel-hold"),
]
