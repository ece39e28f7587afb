"""REST API of cases under /api/v1/cases/ (wired by bkklib/api_urls.py).

Public: the service standards (categories) and a case's status by tracking code (no personal data).
Staff: cases within the caller's branches, filing a case received by phone, walk-in, LINE or letter,
state changes, answers and closure, and the monthly GECC figures. Refusals are problem JSON with a
stable ``code`` (``state_change_refused``, ``deadline_in_past``, ``root_cause_required``...).
"""
from __future__ import annotations

from datetime import date

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.network import access
from bkklib.network.models import Branch

from . import queries, services
from .models import Case, Category


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name_th", "name_en", "description", "response_amount", "response_unit",
                  "resolution_amount", "resolution_unit"]


class CaseSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "code", "kind", "channel", "state", "title", "description", "category", "branch", "units",
                  "is_anonymous", "filed_at", "response_due_at", "responded_at", "resolution_due_at",
                  "resolved_at", "closed_at", "reopen_count", "answer", "root_cause", "preventive_action",
                  "rating", "risk", "visit", "audit_report"]


class CaseDetailSerializer(CaseSerializer):
    requester = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "requester"]

    def get_requester(self, case) -> dict | None:
        request = self.context["request"]
        who = queries.requester(case, request.user, path=request.path)
        if who.hidden:
            return None
        return {"name": who.name, "phone": who.phone, "email": who.email}


class TrackSerializer(serializers.ModelSerializer):
    """What anyone with the tracking code may read: no name, phone, email, or internal notes."""

    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Case
        fields = ["code", "kind", "state", "title", "category", "branch", "filed_at", "resolution_due_at",
                  "resolved_at", "answer", "rating", "reopen_count"]


class CategoryList(ListAPIView):
    """The published service standards: response and resolution time per category."""

    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        return queries.public_categories()


class Track(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=TrackSerializer)
    def get(self, request, code: str):
        case = queries.by_code(code)
        if case is None or not case.is_citizen_case:
            from bkklib.core.exceptions import NotFound

            raise NotFound()
        return Response(TrackSerializer(case).data)


class CaseParams(QueryParams):
    kind = serializers.ChoiceField(choices=Case.Kind.choices, required=False)
    state = serializers.ChoiceField(choices=Case.State.choices, required=False)
    branch = serializers.SlugField(required=False, help_text=_("Branch code"))
    overdue = serializers.BooleanField(required=False, default=False)


class CaseInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[c for c in Case.Kind.choices
                                            if c[0] in ("request", "complaint", "suggestion", "compliment")])
    channel = serializers.ChoiceField(choices=Case.Channel.choices, default=Case.Channel.PHONE)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    category = serializers.SlugField(required=False)
    branch = serializers.SlugField(required=False)
    requester_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    requester_phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    requester_email = serializers.EmailField(required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(required=False, default=False)


class CaseList(ListAPIView):
    """Cases at the caller's branches (GET); a case received by phone, walk-in, LINE or letter (POST)."""

    serializer_class = CaseSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "cases.view_case", "POST": "cases.add_case"}

    @extend_schema(parameters=[CaseParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, CaseParams)
        rows = queries.cases_for(self.request.user).prefetch_related("units").order_by("-filed_at", "pk")
        if params.get("kind"):
            rows = rows.filter(kind=params["kind"])
        if params.get("state"):
            rows = rows.filter(state=params["state"])
        if params.get("branch"):
            rows = rows.filter(branch__code=params["branch"])
        if params.get("overdue"):
            rows = rows.overdue(timezone.now())
        return rows

    @extend_schema(request=CaseInput, responses={201: CaseSerializer})
    def post(self, request):
        access.require_at_codes(request.user, "cases.add_case", request.data, "branch")
        data = CaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        branch = get_object_or_404(Branch, code=values.pop("branch")) if values.get("branch") else None
        category = get_object_or_404(Category, code=values.pop("category")) if values.get("category") else None
        values.pop("branch", None)
        values.pop("category", None)
        case = services.file_case(branch=branch, category=category, by=request.user, **values)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "cases.view_case"}

    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, pk: int):
        case = get_object_or_404(queries.cases_for(request.user), pk=pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


class TransitionInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=Case.State.choices, required=False)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    answer = serializers.CharField(required=False, max_length=5000)
    root_cause = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    preventive_action = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class CaseAction(APIView):
    """POST /api/v1/cases/{id}/state/ (``state``, ``note``), /answer/ (``answer``) or /close/
    (``root_cause``, ``preventive_action``)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "cases.change_case"}
    action_name = ""

    @extend_schema(request=TransitionInput, responses=CaseSerializer)
    def post(self, request, pk: int):
        case = get_object_or_404(queries.cases_for(request.user, "cases.change_case"), pk=pk)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if self.action_name == "state":
            if "state" not in values:
                raise serializers.ValidationError({"state": [_("Choose the new status.")]})
            case = services.change_state(case=case, target=values["state"], by=request.user, note=values["note"])
        elif self.action_name == "answer":
            case = services.answer(case=case, text=values.get("answer", ""), by=request.user)
        else:
            case = services.close(case=case, by=request.user, root_cause=values["root_cause"],
                                  preventive_action=values["preventive_action"])
        return Response(CaseSerializer(case).data)


class ReportParams(QueryParams):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text=_("YYYY-MM (Common Era)"))


class MonthlySerializer(serializers.Serializer):
    month = serializers.DateField()
    total = serializers.IntegerField()
    finished = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    by_channel = serializers.ListField(child=serializers.ListField())
    by_category = serializers.ListField(child=serializers.ListField())
    causes = serializers.ListField(child=serializers.ListField())


class MonthlyReport(APIView):
    """The monthly GECC figures of the service desk."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "cases.view_case_report"}

    @extend_schema(parameters=[ReportParams], responses=MonthlySerializer)
    def get(self, request):
        params = query_params(request, ReportParams)
        try:
            year, month = (int(x) for x in params["month"].split("-")) if params.get("month") else (0, 0)
            first = date(year, month, 1) if year else timezone.localdate().replace(day=1)
        except ValueError:
            raise serializers.ValidationError({"month": [_("Give the month as YYYY-MM.")]}) from None
        report = queries.monthly_report(first, queryset=queries.cases_for(request.user, "cases.view_case_report"))
        return Response(MonthlySerializer(report).data)


urlpatterns = [
    path("cases/", CaseList.as_view(), name="api-case-list"),
    path("cases/categories/", CategoryList.as_view(), name="api-case-categories"),
    path("cases/report/", MonthlyReport.as_view(), name="api-case-report"),
    path("cases/track/<str:code>/", Track.as_view(), name="api-case-track"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/state/", CaseAction.as_view(action_name="state"), name="api-case-state"),
    path("cases/<int:pk>/answer/", CaseAction.as_view(action_name="answer"), name="api-case-answer"),
    path("cases/<int:pk>/close/", CaseAction.as_view(action_name="close"), name="api-case-close"),
]
