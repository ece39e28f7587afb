"""Django admin of facilities: the species list and checklist versions are reference data network admins keep."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Building, Checklist, ChecklistItem, Species, TreeSite, Work


@admin.register(Species)
class SpeciesAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_scientific", "form", "code"]
    list_filter = ["form"]
    search_fields = ["name_th", "name_scientific", "code"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["position", "code", "category", "topic_th", "verified", "measure_label", "measure_unit"]
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "loaded_at"]
    readonly_fields = ["version", "sha256", "loaded_at"]
    inlines = [ChecklistItemInline]


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "branch", "area_m2", "year_built_be", "owner"]
    search_fields = ["name_th", "branch__name_th"]


@admin.register(Work)
class WorkAdmin(SimpleHistoryAdmin):
    list_display = ["title", "branch", "status", "fiscal_year", "budget"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["title", "contractor", "contract_no"]


@admin.register(TreeSite)
class TreeSiteAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "branch", "kind", "district_code", "area_m2"]
    list_filter = ["kind", "district_code"]
