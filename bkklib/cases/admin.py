"""Django admin of casework: service categories, routing rules and the GECC checklist (reference data)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Category, EvidenceItem, Label, RoutingRule


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_th", "response_amount", "response_unit", "resolution_amount", "resolution_unit",
                    "is_public"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(SimpleHistoryAdmin):
    list_display = ["category", "branch", "unit_code"]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(SimpleHistoryAdmin):
    list_display = ["order", "code", "status"]


admin.site.register(Label)
