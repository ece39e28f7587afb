"""Django admin of acquisitions: vendors are reference data; money and orders change only through the
services (the staff pages and API), so their admin pages are read-only."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FiscalYear, Fund, FundEntry, Order, Request, Vendor


@admin.register(Vendor)
class VendorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tax_id", "contact_name", "phone", "delivery_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "tax_id", "contact_name"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FiscalYear)
class FiscalYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "is_closed", "closed_at"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "branch", "fiscal_year", "budget", "committed", "spent", "overdraft"]
    list_filter = ["fiscal_year"]
    search_fields = ["name", "code", "branch__name_th"]


@admin.register(FundEntry)
class FundEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "fund", "kind", "amount", "reason", "by"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "vendor", "branch", "fiscal_year", "status", "ordered_on", "expected_by"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["number", "vendor__name"]


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "branch", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "isbn"]
