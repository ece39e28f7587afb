"""Django admin for the catalog (network admins): records, items, item types, import jobs, with history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ImportJob, Item, ItemType, Record, ShelvingLocation


@admin.register(Record)
class RecordAdmin(SimpleHistoryAdmin):
    list_display = ("id", "title", "year", "material_type", "language", "is_demo")
    list_filter = ("material_type", "language", "is_demo")
    search_fields = ("title", "control_number")


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ("barcode", "record", "branch", "item_type", "status")
    list_filter = ("status", "item_type")
    search_fields = ("barcode",)
    raw_id_fields = ("record",)


@admin.register(ItemType)
class ItemTypeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_th", "name_en")


@admin.register(ShelvingLocation)
class ShelvingLocationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "name_en")
    search_fields = ("code", "name_th", "name_en")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("filename", "status", "read", "created", "overlaid", "skipped", "failed", "created_at")
    readonly_fields = ("report",)
