"""The catalog's pages on the staff home page (shown to users holding each permission)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem

ITEMS = [
    MenuItem(_("Catalog"), "catalog:record-list", "catalog.view_record",
             _("Search records and items; catalogue new books; add items.")),
    MenuItem(_("New record"), "catalog:record-new", "catalog.add_record", _("Catalogue a book from scratch."), nav=False),
    MenuItem(_("MARC import"), "catalog:import-list", "catalog.import_marc",
             _("Load MARC files from other systems, with a report of every record.")),
    MenuItem(_("Labels"), "catalog:labels", "catalog.view_item", _("Print spine and barcode labels (PDF).")),
    MenuItem(_("Stocktake"), "catalog:stocktake-list", "catalog.view_stocktake",
             _("Scan a shelf or a branch; see missing, misplaced and unexpected items.")),
    MenuItem(_("Withdrawals"), "catalog:withdrawal-list", "catalog.view_withdrawal",
             _("Requests to withdraw items, and their approval.")),
]
