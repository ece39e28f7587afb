"""Django admin for circulation's configuration (policies, categories, fees, settings), audited with history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CirculationSettings, FeeTier, LoanPolicy, Notice, Patron, PatronCategory, Receipt


@admin.register(LoanPolicy)
class LoanPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "loan_days", "max_loans", "renewals_allowed", "fine_per_day", "max_fine", "max_holds",
                    "hold_shelf_days")
    list_filter = ("branch", "category", "item_type")


@admin.register(PatronCategory)
class PatronCategoryAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_th", "name_en", "requires_guardian", "card_valid_years", "fines_block_amount")


@admin.register(FeeTier)
class FeeTierAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "category", "min_age", "max_age", "annual_fee")


@admin.register(CirculationSettings)
class CirculationSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "pre_due_days", "overdue_1_days", "overdue_2_days", "overdue_3_days")


@admin.register(Patron)
class PatronAdmin(SimpleHistoryAdmin):
    """Read-mostly: patrons are registered and changed through the desk (services and access log)."""

    list_display = ("card_number", "full_name", "category", "home_branch", "status", "card_expires_on")
    list_filter = ("status", "category")
    search_fields = ("card_number", "last_name_th", "last_name_en")
    exclude = ("pin_hash",)
    readonly_fields = [f.name for f in Patron._meta.fields if f.name != "pin_hash"]

    def has_add_permission(self, request):
        return False


@admin.register(Receipt)
class ReceiptAdmin(SimpleHistoryAdmin):
    list_display = ("label", "issued_at", "branch", "total", "method")
    readonly_fields = [f.name for f in Receipt._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("kind", "occasion", "status", "sent_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in Notice._meta.fields]
