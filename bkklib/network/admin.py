"""Django admin of the network registry (network admins), with the audit history of each record."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    Branch,
    Closure,
    District,
    OpeningPeriod,
    OrgUnit,
    OrgVersion,
    Position,
    Service,
    StaffingLevel,
    StaffMember,
    UnitBranch,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "postal_code"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


class StaffingLevelInline(admin.TabularInline):
    model = StaffingLevel
    extra = 0


@admin.register(Branch)
class BranchAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_th", "kind", "district", "status", "verified_at", "changed_since_verified"]
    list_filter = ["kind", "status", "district", "is_demo", "changed_since_verified"]
    search_fields = ["code", "name_th", "name_en"]
    raw_id_fields = ["parent", "verified_by"]
    filter_horizontal = ["services"]
    inlines = [OpeningPeriodInline, StaffingLevelInline]


@admin.register(Closure)
class ClosureAdmin(SimpleHistoryAdmin):
    list_display = ["starts_on", "ends_on", "branch", "kind", "reason_th"]
    list_filter = ["kind"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["branch"]
    search_fields = ["reason_th", "branch__name_th"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["branch"]


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["employee_code", "first_name_th", "last_name_th", "work_email", "is_active"]
    search_fields = ["employee_code", "first_name_th", "last_name_th"]
    list_filter = ["is_active", "is_demo"]
    raw_id_fields = ["user"]
    inlines = [AssignmentInline]

    def get_fields(self, request, obj=None):
        # Personal fields (PDPA: employment administration) only for those allowed to see them.
        fields = super().get_fields(request, obj)
        if request.user.has_perm("network.view_staff_personal"):
            return fields
        return [f for f in fields if f not in StaffMember.PERSONAL_FIELDS]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "branch", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    raw_id_fields = ["staff", "branch"]
    search_fields = ["staff__last_name_th", "branch__name_th"]


class OrgUnitInline(admin.TabularInline):
    model = OrgUnit
    extra = 0
    fields = ["code", "kind", "name_th", "parent", "order"]


@admin.register(OrgVersion)
class OrgVersionAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "effective_from", "created_by"]
    inlines = [OrgUnitInline]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ["holder"]


class UnitBranchInline(admin.TabularInline):
    model = UnitBranch
    extra = 0
    raw_id_fields = ["branch"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name_th", "code", "kind", "version", "parent"]
    list_filter = ["version", "kind"]
    inlines = [PositionInline, UnitBranchInline]
