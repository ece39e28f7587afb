"""Circulation pages on the staff home page (each shown to the roles holding its permission)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem

ITEMS = [
    MenuItem(_("Circulation desk"), "circulation:desk", "circulation.add_loan",
             _("Scan a patron card, then the items to lend.")),
    MenuItem(_("Returns"), "circulation:checkin", "circulation.change_loan",
             _("Scan returned items: shelf, hold shelf or transit.")),
    MenuItem(_("Patrons"), "circulation:patron-search", "circulation.view_patron",
             _("Find by card, name, ID or phone; register a patron.")),
    MenuItem(_("Registrations to approve"), "circulation:pending", "circulation.approve_patron",
             _("Online self-registrations waiting for an ID check.")),
    MenuItem(_("Hold shelf"), "circulation:hold-shelf", "circulation.view_hold",
             _("Holds waiting for pickup at this desk.")),
    MenuItem(_("Transits"), "circulation:transits", "circulation.view_transit",
             _("Items on their way here, and today's transit slips.")),
    MenuItem(_("Lost, damaged, transfers"), "circulation:item-status", "circulation.change_loan",
             _("Declare an item lost or damaged, or send it to another branch.")),
    MenuItem(_("Cash-up"), "circulation:cash-up", "circulation.view_receipt",
             _("The desk's receipts and totals of a day.")),
    MenuItem(_("Notice texts"), "circulation:notice-templates", "core.change_messagetemplate",
             _("Edit the Thai and English texts of circulation notices.")),
]
