"""REST API of the network app (wired under /api/v1/ by bkklib/api_urls.py).

Public: districts, branches (with opening hours and today's open status) and closures.
Staff only: staff members, assignments, org units, coverage. Writes go through the services,
which apply branch scoping (``access.py``): another branch's data answers 403 on write; its
private records (staff, assignments) answer 404.
"""

import django_filters
from django.db import transaction
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, routers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import BooleanFilter, FilterSet, QueryParams, RolePermission, query_params
from bkklib.core.models import AccessLog

from . import access, queries, rules, services
from .exceptions import INVALID_EMAIL, UNKNOWN_DISTRICT, closure_error, coverage_range_error
from .forms import find_district
from .models import Assignment, Branch, Closure, District, OrgUnit, OrgVersion, Service, StaffMember

# --- Serializers -----------------------------------------------------------------------------------


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name_th", "name_en", "postal_code"]


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["code", "name_th", "name_en"]


class PeriodSerializer(serializers.Serializer):
    """One opening period: weekday 0 (Monday) … 6 (Sunday), opening and closing time."""

    weekday = serializers.IntegerField(min_value=0, max_value=6)
    opens_at = serializers.TimeField(format="%H:%M")
    closes_at = serializers.TimeField(format="%H:%M")


class TodaySerializer(serializers.Serializer):
    """Today's open status of a branch (Asia/Bangkok)."""

    date = serializers.DateField()
    is_open_now = serializers.BooleanField()
    is_open_today = serializers.BooleanField()
    periods = PeriodSerializer(many=True)
    next_open_day = serializers.DateField(allow_null=True)


def _period_data(period: rules.Period) -> dict:
    # Plain dicts, not nested serializers: a list of 500 branches would build 1,000 serializers.
    return {"weekday": period.weekday, "opens_at": f"{period.opens_at:%H:%M}",
            "closes_at": f"{period.closes_at:%H:%M}"}


def _today_data(state: queries.OpenStatus) -> dict:
    return {
        "date": state.today.isoformat(),
        "is_open_now": state.is_open_now,
        "is_open_today": state.is_open_today,
        "periods": [_period_data(p) for p in state.today_periods],
        "next_open_day": state.next_open_day.isoformat() if state.next_open_day else None,
    }


class BranchSerializer(serializers.ModelSerializer):
    """A branch as the public sees it, with its hours and today's status."""

    district = DistrictSerializer(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    services = ServiceSerializer(many=True, read_only=True)
    opening_hours = serializers.SerializerMethodField()
    opening_hours_text = serializers.SerializerMethodField()
    today = serializers.SerializerMethodField()
    is_stale = serializers.SerializerMethodField()

    class Meta:
        model = Branch
        fields = [
            "id", "code", "name_th", "name_en", "kind", "kind_label", "status", "status_label", "district",
            "parent", "address", "latitude", "longitude", "phone", "email", "website", "facebook", "line_id",
            "description", "services", "opening_hours", "opening_hours_text", "today", "verified_at",
            "is_stale", "is_demo",
        ]

    def _periods(self, obj):
        return [rules.Period(p.weekday, p.opens_at, p.closes_at) for p in obj.opening_periods.all()]

    @extend_schema_field(PeriodSerializer(many=True))
    def get_opening_hours(self, obj):
        return [_period_data(p) for p in self._periods(obj)]

    @extend_schema_field(OpenApiTypes.STR)
    def get_opening_hours_text(self, obj):
        return rules.format_hours(self._periods(obj), lang=self.context.get("language", "th"))

    @extend_schema_field(TodaySerializer)
    def get_today(self, obj):
        statuses = self.context.get("open_status") or {}
        state = statuses.get(obj.pk) or queries.open_status([obj]).get(obj.pk)
        return _today_data(state)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_stale(self, obj):
        return queries.staleness_of(obj) is not None


@extend_schema_field(OpenApiTypes.STR)
class DistrictRelatedField(serializers.RelatedField):
    """A district given as its code (``1001``) or its Thai or English name."""

    default_error_messages = {"unknown": UNKNOWN_DISTRICT}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", District.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        district = find_district(str(data))
        if district is None:
            raise serializers.ValidationError(str(UNKNOWN_DISTRICT).format(value=data), code="unknown_district")
        return district

    def to_representation(self, value):
        return value.code


class BranchInput(serializers.ModelSerializer):
    """What a client may write about a branch: basic data, services, weekly hours, ``verify``."""

    district = DistrictRelatedField()
    parent = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all(), required=False,
                                          allow_null=True)
    email = serializers.EmailField(required=False, allow_blank=True, error_messages={"invalid": INVALID_EMAIL})
    services = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all(), many=True,
                                            required=False)
    opening_hours = PeriodSerializer(many=True, required=False)
    verify = serializers.BooleanField(required=False, default=False,
                                      help_text=_("Also confirm the data correct as of now."))

    class Meta:
        model = Branch
        fields = ["code", *services.BASIC_FIELDS, "services", "opening_hours", "verify"]

    def validate_opening_hours(self, value):
        periods = [rules.Period(p["weekday"], p["opens_at"], p["closes_at"]) for p in value]
        problems = rules.hours_problems(periods)
        if problems:
            errors: list[dict] = [{} for _p in periods]
            for problem in problems:
                errors[problem.index].setdefault(problem.field, []).append(
                    services.hours_problem_text(problem, periods))
            raise serializers.ValidationError(errors)
        return periods


class StaffMemberSerializer(serializers.ModelSerializer):
    """A staff member; personal fields only for holders of network.view_staff_personal."""

    branches = serializers.SerializerMethodField()

    class Meta:
        model = StaffMember
        fields = ["id", "employee_code", "first_name_th", "last_name_th", "first_name_en", "last_name_en",
                  "work_email", "work_phone", "is_active", "is_demo", "branches"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_branches(self, obj):
        today = timezone.localdate()
        return sorted({a.branch.code for a in obj.assignments.all() if a.active_on(today)})


class StaffMemberPersonalSerializer(StaffMemberSerializer):
    """A staff member with personal data (PDPA: employment administration; every view is logged)."""

    pdpa_purpose = serializers.SerializerMethodField()

    class Meta(StaffMemberSerializer.Meta):
        fields = [*StaffMemberSerializer.Meta.fields, *StaffMember.PERSONAL_FIELDS, "pdpa_purpose"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_pdpa_purpose(self, obj):
        return str(StaffMember.PDPA_PURPOSE)


class AssignmentSerializer(serializers.ModelSerializer):
    staff = serializers.PrimaryKeyRelatedField(read_only=True)
    staff_name = serializers.CharField(source="staff.__str__", read_only=True)
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "staff", "staff_name", "branch", "kind", "starts_on", "ends_on", "note"]


class PositionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title_th = serializers.CharField()
    title_en = serializers.CharField()
    is_head = serializers.BooleanField()
    holder = serializers.CharField(allow_null=True)


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    version = serializers.PrimaryKeyRelatedField(read_only=True)
    branches = serializers.SerializerMethodField()
    positions = serializers.SerializerMethodField()

    class Meta:
        model = OrgUnit
        fields = ["id", "version", "code", "kind", "name_th", "name_en", "parent", "order", "branches", "positions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_branches(self, obj):
        return sorted(b.code for b in obj.branches.all())

    @extend_schema_field(PositionSerializer(many=True))
    def get_positions(self, obj):
        return PositionSerializer([
            {"code": p.code, "title_th": p.title_th, "title_en": p.title_en, "is_head": p.is_head,
             "holder": str(p.holder) if p.holder else None}
            for p in obj.positions.all()
        ], many=True).data


class ClosureSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all(), allow_null=True,
                                          required=False)

    class Meta:
        model = Closure
        fields = ["id", "branch", "kind", "starts_on", "ends_on", "reason_th", "reason_en"]
        read_only_fields = ["kind"]

    def validate(self, attrs):
        if attrs.get("starts_on") and attrs.get("ends_on"):
            error = closure_error(attrs["starts_on"], attrs["ends_on"])
            if error:
                raise serializers.ValidationError({"ends_on": [error]})
        return attrs


# --- Filters -----------------------------------------------------------------------------------------


class BranchFilter(FilterSet):
    district = django_filters.CharFilter(method="filter_district", help_text=_("district code, Thai or English name"))
    kind = django_filters.ChoiceFilter(choices=Branch.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Branch.Status.choices)
    service = django_filters.CharFilter(field_name="services__code", help_text=_("service code, e.g. co-working"))
    parent = django_filters.CharFilter(field_name="parent__code")
    q = django_filters.CharFilter(method="filter_q", help_text=_("part of the Thai or English name, or the code"))
    stale = BooleanFilter(method="filter_stale")

    class Meta:
        model = Branch
        fields = ["district", "kind", "status", "service", "parent", "q", "stale"]

    def filter_district(self, queryset, name, value):
        district = find_district(value)
        return queryset.filter(district=district) if district else queryset.none()

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name_th__icontains=value) | Q(name_en__icontains=value) | Q(code__iexact=value))

    def filter_stale(self, queryset, name, value):
        return queryset.filter(queries.stale_q()) if value else queryset.exclude(queries.stale_q())


class ClosureFilter(FilterSet):
    branch = django_filters.CharFilter(method="filter_branch",
                                       help_text=_("branch code: its own closures and the network-wide ones"))
    ends_after = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")
    kind = django_filters.ChoiceFilter(choices=Closure.Kind.choices)

    class Meta:
        model = Closure
        fields = ["branch", "ends_after", "starts_before", "kind"]

    def filter_branch(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(branch__code=value) | Q(branch__isnull=True))


# --- Permissions -------------------------------------------------------------------------------------


class StaffWithPerm(permissions.BasePermission):
    """Signed-in staff holding the view permission of the view's model (``required_perm``)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(view.required_perm))


# --- Views -------------------------------------------------------------------------------------------


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Bangkok's 50 districts (public)."""

    queryset = District.objects.order_by("code")
    serializer_class = DistrictSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    filter_backends: list = []


class BranchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Every branch of the network with hours and today's status (public read; scoped writes)."""

    serializer_class = BranchSerializer
    filterset_class = BranchFilter
    lookup_field = "code"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, RolePermission]
    write_perms = {"create": "network.add_branch", "update": "network.change_branch",
                   "partial_update": "network.change_branch", "verify": "network.verify_branch"}

    def get_queryset(self):
        return (Branch.objects.select_related("district", "parent")
                .prefetch_related("services", "opening_periods").order_by("code").distinct())

    def get_serializer_class(self):
        return BranchInput if self.request.method in ("POST", "PUT", "PATCH") else BranchSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["language"] = getattr(self.request, "LANGUAGE_CODE", "th")
        return context

    def _render(self, branches, many: bool):
        context = self.get_serializer_context()
        context["open_status"] = queries.open_status(branches)
        return BranchSerializer(branches if many else branches[0], many=many, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self._render(page, many=True))
        return Response(self._render(list(queryset), many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._render([self.get_object()], many=False))

    @extend_schema(request=BranchInput, responses={201: BranchSerializer})
    def create(self, request, *args, **kwargs):
        data = BranchInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        periods = values.pop("opening_hours", [])
        service_list = values.pop("services", [])
        verify = values.pop("verify", False)
        with transaction.atomic():
            branch = services.create_branch(by=request.user, services=service_list, periods=periods, verify=verify,
                                            **values)
        return Response(self._render([self.get_queryset().get(pk=branch.pk)], many=False),
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=BranchInput, responses={200: BranchSerializer})
    def update(self, request, *args, **kwargs):
        branch = self.get_object()
        partial = kwargs.get("partial", False)
        # Scoping first: a librarian of another branch learns nothing from validation errors.
        access.require(request.user, "network.change_branch", at=branch)
        data = BranchInput(branch, data=request.data, partial=partial, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.pop("code", branch.code) != branch.code:
            # Other apps and bookmarks refer to branches by code: it never changes through the API.
            raise serializers.ValidationError({"code": [_("A branch's code cannot be changed.")]})
        periods = values.pop("opening_hours", None)
        service_list = values.pop("services", None)
        verify = values.pop("verify", False)
        with transaction.atomic():
            branch = services.update_branch(branch=branch, by=request.user, changes=values, services=service_list,
                                            periods=periods, verify=verify)
        return Response(self._render([self.get_queryset().get(pk=branch.pk)], many=False))

    @extend_schema(request=None, responses={200: BranchSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, code=None):
        """Confirm the branch's basic data correct as of now."""
        branch = services.confirm_branch(branch=self.get_object(), by=request.user)
        return Response(self._render([self.get_queryset().get(pk=branch.pk)], many=False))


class ClosureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Closures: public holidays (network-wide) and branch closures (public read; scoped writes)."""

    queryset = Closure.objects.select_related("branch").order_by("starts_on", "pk")
    serializer_class = ClosureSerializer
    filterset_class = ClosureFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, RolePermission]
    write_perms = {"create": "network.add_closure", "destroy": "network.delete_closure"}

    def create(self, request, *args, **kwargs):
        access.require_at_codes(request.user, "network.add_closure", request.data, "branch")
        data = ClosureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        closure = services.add_closure(by=request.user, **data.validated_data)
        return Response(ClosureSerializer(closure).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.remove_closure(closure=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffMemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff members of the user's branches (network admins: all). Personal data is logged when shown."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_staffmember"
    serializer_class = StaffMemberSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self):
        queryset = StaffMember.objects.prefetch_related("assignments__branch").order_by("employee_code")
        user = self.request.user
        if access.acts_everywhere(user):
            return queryset
        today = timezone.localdate()
        mine = access.branches_for(user, self.required_perm)
        working_here = Assignment.objects.active_on(today).filter(branch__in=mine).values("staff_id")
        return queryset.filter(pk__in=working_here)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.request.user.has_perm("network.view_staff_personal"):
            return StaffMemberPersonalSerializer
        return StaffMemberSerializer

    @extend_schema(responses=StaffMemberPersonalSerializer)
    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        serializer = self.get_serializer(member)
        if isinstance(serializer, StaffMemberPersonalSerializer):
            AccessLog.objects.create(user=request.user, subject=f"network.staffmember:{member.pk}", action="view",
                                     purpose=str(StaffMember.PDPA_PURPOSE)[:200], path=request.path[:300])
        return Response(serializer.data)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff assignments (primary posts and secondments) at the user's branches."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_assignment"
    serializer_class = AssignmentSerializer
    filterset_fields = ["kind", "branch__code", "staff"]

    def get_queryset(self):
        queryset = Assignment.objects.select_related("staff", "branch").order_by("starts_on", "pk")
        return access.scope(queryset, self.request.user, self.required_perm)


class OrgUnitQuery(QueryParams):
    on = serializers.DateField(required=False, help_text=_("the day whose structure is asked (default today)"))
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("a structure version id (drafts included)"))


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units of the structure in force on ``on`` (default today), or of structure ``version``."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_orgunit"
    serializer_class = OrgUnitSerializer
    filter_backends: list = []

    @extend_schema(parameters=[OrgUnitQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = OrgUnit.objects.select_related("parent").prefetch_related("branches", "positions__holder")
        if self.action != "list":
            return queryset
        params = query_params(self.request, OrgUnitQuery)
        if params.get("version"):
            version = OrgVersion.objects.filter(pk=params["version"]).first()
        else:
            version = queries.version_in_force(params.get("on"))
        return queryset.filter(version=version).order_by("order", "code") if version else queryset.none()


class CoverageView(APIView):
    """Branch-days below their minimum staff level in a date range, and secondment proposals."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_assignment"

    class Input(serializers.Serializer):
        start = serializers.DateField()
        end = serializers.DateField()

        def validate(self, attrs):
            error = coverage_range_error(attrs["start"], attrs["end"])
            if error:
                raise serializers.ValidationError({"end": [error]})
            return attrs

    @extend_schema(
        parameters=[OpenApiParameter("start", OpenApiTypes.DATE, required=True),
                    OpenApiParameter("end", OpenApiTypes.DATE, required=True)],
        responses=inline_serializer("Coverage", {
            "start": serializers.DateField(), "end": serializers.DateField(),
            "shortages": serializers.ListField(child=serializers.DictField()),
            "proposals": serializers.ListField(child=serializers.DictField()),
            "unresolved": serializers.ListField(child=serializers.DictField()),
        }),
    )
    def get(self, request):
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        mine = None if access.acts_everywhere(request.user) else list(
            access.branches_for(request.user, self.required_perm))
        report = queries.coverage(data.validated_data["start"], data.validated_data["end"], branches=mine)
        code = {pk: b.code for pk, b in report.branches.items()}
        return Response({
            "start": report.start, "end": report.end,
            "shortages": [{"branch": code[s.branch], "day": s.day, "have": s.have, "need": s.need}
                          for s in report.shortages],
            "proposals": [{"staff": p.staff, "from_branch": code[p.from_branch], "to_branch": code[p.to_branch],
                           "starts_on": p.starts_on, "ends_on": p.ends_on} for p in report.proposals],
            "unresolved": [{"branch": code[s.branch], "day": s.day, "have": s.have, "need": s.need}
                           for s in report.unresolved],
        })


class SecondStaffView(APIView):
    """Accept a secondment proposal: create the secondment (refused if it breaks a minimum)."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.add_assignment"

    class Input(serializers.Serializer):
        staff = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.all())
        from_branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all())
        to_branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all())
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        note = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(request=Input, responses={201: AssignmentSerializer})
    def post(self, request):
        access.require_at_codes(request.user, self.required_perm, request.data, "from_branch", "to_branch")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.second_staff(by=request.user, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


router = routers.DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("districts", DistrictViewSet, basename="district")
router.register("branches", BranchViewSet, basename="branch")
router.register("closures", ClosureViewSet, basename="closure")
router.register("staff", StaffMemberViewSet, basename="staffmember")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("org-units", OrgUnitViewSet, basename="orgunit")

urlpatterns = [
    *router.urls,
    path("network/coverage/", CoverageView.as_view(), name="network-coverage"),
    path("network/second-staff/", SecondStaffView.as_view(), name="network-second-staff"),
]
