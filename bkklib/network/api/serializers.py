"""Serializers of the network API: districts, branches (hours, today's status), staff, assignments, closures, org units."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import queries, rules, services
from ..exceptions import INVALID_EMAIL, UNKNOWN_DISTRICT, closure_error
from ..forms import find_district
from ..models import Assignment, Branch, Closure, District, OrgUnit, Service, StaffMember


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
