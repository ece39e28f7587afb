"""Acquisitions on the staff home page and in the patron's account (core/menus.py, core/public.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem
from bkklib.core.public import Section

ITEMS = [
    MenuItem(_("Book orders"), "acquisitions:staff-home", "acquisitions.view_order",
             _("Selection lists, approval, purchase orders, receiving and invoices.")),
    MenuItem(_("Purchase requests"), "acquisitions:requests", "acquisitions.view_request",
             _("Readers' suggestions and staff requests: accept or decline with a reason.")),
    MenuItem(_("Funds and budgets"), "acquisitions:funds", "acquisitions.view_fund",
             _("Budget, committed, spent and free per fund and fiscal year; transfers and year end.")),
    MenuItem(_("Vendors"), "acquisitions:vendors", "acquisitions.view_vendor",
             _("Booksellers with their tax ID, contacts and delivery terms.")),
    MenuItem(_("Donations"), "acquisitions:donations", "acquisitions.view_donation",
             _("Donated books: intake, decision, acknowledgement letter, adding to the collection.")),
    MenuItem(_("Procurement follow-up"), "acquisitions:report", "acquisitions.view_acquisitions_report",
             _("The monthly meeting's view per branch: requested, ordered, received, on shelf, money.")),
]

TODOS = [
    TodoItem(_("New purchase suggestions"), "acquisitions:requests",
             "bkklib.acquisitions.queries.count_new_requests", "acquisitions.change_request",
             query="status=new"),
    TodoItem(_("Selection lists to approve"), "acquisitions:staff-home",
             "bkklib.acquisitions.queries.count_to_approve", "acquisitions.approve_order", query="status=selection"),
    TodoItem(_("Orders with late deliveries"), "acquisitions:report",
             "bkklib.acquisitions.queries.count_late_orders", "acquisitions.receive_order"),
]

ACCOUNT_SECTIONS = [Section("purchase-suggestions", "acquisitions/partials/account_section.html",
                            "bkklib.acquisitions.views.public.account_section", order=60)]
