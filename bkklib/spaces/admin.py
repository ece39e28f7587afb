"""Django admin of spaces: spaces and their rules are reference data network admins keep."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Booking, BookingSuspension, Space, SpaceRule


@admin.register(Space)
class SpaceAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "branch", "kind", "capacity", "is_public", "is_active"]
    list_filter = ["kind", "is_public", "is_active"]
    search_fields = ["name_th", "name_en", "code", "branch__name_th"]
    autocomplete_fields = ["branch"]


@admin.register(SpaceRule)
class SpaceRuleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "slot_minutes", "window_days", "max_hours_per_day", "max_hours_per_week",
                    "requires_approval", "release_after_minutes"]
    filter_horizontal = ["categories"]


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    list_display = ["code", "space", "starts_at", "ends_at", "status", "kind"]
    list_filter = ["status", "kind"]
    search_fields = ["code"]
    raw_id_fields = ["space", "patron", "branch"]

    def has_add_permission(self, request):
        return False  # bookings go through the services (rules, overlap guard), never straight in


@admin.register(BookingSuspension)
class BookingSuspensionAdmin(SimpleHistoryAdmin):
    list_display = ["patron", "starts_on", "ends_on", "reason"]
    raw_id_fields = ["patron"]
