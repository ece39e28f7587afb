"""Circulation pages, to-dos and the scan box on the staff home page (each shown to the roles holding its permission)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, ScanTarget, TodoItem

ITEMS = [
    MenuItem(_("Circulation desk"), "circulation:desk", "circulation.add_loan",
             _("Scan a patron card, then the items to lend.")),
    MenuItem(_("Returns"), "circulation:checkin", "circulation.change_loan",
             _("Scan returned items: shelf, hold shelf or transit.")),
    MenuItem(_("Patrons"), "circulation:patron-search", "circulation.view_patron",
             _("Find by card, name, ID or phone; register a patron.")),
    MenuItem(_("Registrations to approve"), "circulation:pending", "circulation.approve_patron",
             _("Online self-registrations waiting for an ID check."), nav=False),
    MenuItem(_("Hold shelf"), "circulation:hold-shelf", "circulation.view_hold",
             _("Holds waiting for pickup at this service point.")),
    MenuItem(_("Holds to trap"), "circulation:holds-to-trap", "circulation.change_loan",
             _("Titles on this shelf with holds waiting: pull a copy and check it in."), nav=False),
    MenuItem(_("Overdue loans"), "circulation:overdue", "circulation.view_loan",
             _("Loans made at this service point that are past their due date."), nav=False),
    MenuItem(_("Transits"), "circulation:transits", "circulation.view_transit",
             _("Items on their way here, and today's transit slips.")),
    MenuItem(_("Lost, damaged, transfers"), "circulation:item-status", "circulation.change_loan",
             _("Declare an item lost or damaged, or send it to another branch."), nav=False),
    MenuItem(_("Cash-up"), "circulation:cash-up", "circulation.view_receipt",
             _("This service point's receipts, cash count and sign-off of a day.")),
    MenuItem(_("Notice texts"), "circulation:notice-templates", "core.change_messagetemplate",
             _("Edit the Thai and English texts of circulation notices."), nav=False),
]

_Q = "bkklib.circulation.queries."
TODOS = [
    TodoItem(_("Holds to trap"), "circulation:holds-to-trap", _Q + "count_holds_to_trap", "circulation.change_loan",
             _("Titles on this shelf with holds waiting.")),
    TodoItem(_("In transit to here"), "circulation:transits", _Q + "count_transits_to", "circulation.view_transit",
             _("Check them in when they arrive.")),
    TodoItem(_("In transit from here"), "circulation:transits", _Q + "count_transits_from",
             "circulation.view_transit", _("Sent and not yet received.")),
    TodoItem(_("Overdue loans"), "circulation:overdue", _Q + "count_overdue", "circulation.view_loan",
             _("Lent here, past the due date.")),
    TodoItem(_("Registrations to approve"), "circulation:pending", _Q + "count_pending", "circulation.approve_patron",
             _("Self-registrations with this home branch."), query="branch={branch}"),
]

SCAN = ScanTarget(_("Scan a card or an item"), "circulation:desk", "card", "circulation.add_loan",
                  _("Patron card, item barcode, or a name or the last digits of a phone number."))
