"""The standard protocols' entries on the staff home page and the catalog's record pages."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, RecordTool

ITEMS = [
    MenuItem(_("Copy cataloguing"), "interop:copy-search", "catalog.add_record",
             _("Find a record in another library's catalogue (SRU, Z39.50) and copy it.")),
]

RECORD_TOOLS = [
    RecordTool(_("Find a better record elsewhere (copy cataloguing)"), "interop:copy-search", "catalog.change_record",
               query="overlay={id}"),
]
