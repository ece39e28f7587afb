"""Staff cataloguing pages (Thai first), one module per sub-domain: records (search, view, edit),
items (and their withdrawal), imports, label_sheets, stocktakes. ``urls.py`` routes to them here."""
from .imports import import_detail, import_list, import_progress, import_report
from .items import item_add, item_edit, withdrawal_decide, withdrawal_list, withdrawal_new
from .label_sheets import font_licence, label_sheet
from .records import (
    marc_field_row,
    record_copy,
    record_delete,
    record_detail,
    record_download,
    record_edit,
    record_history,
    record_list,
    record_new,
)
from .stocktakes import stocktake_close, stocktake_detail, stocktake_list

__all__ = [
    "font_licence", "import_detail", "import_list", "import_progress", "import_report", "item_add", "item_edit",
    "label_sheet", "marc_field_row", "record_copy", "record_delete", "record_detail", "record_download",
    "record_edit", "record_history", "record_list", "record_new", "stocktake_close", "stocktake_detail",
    "stocktake_list", "withdrawal_decide", "withdrawal_list", "withdrawal_new",
]
