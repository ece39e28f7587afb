"""Spaces on the staff home page and on the public site (core/menus.py, core/public.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem
from bkklib.core.public import PublicLink, Section

ITEMS = [
    MenuItem(_("Space bookings today"), "spaces:staff-day", "spaces.view_booking",
             _("Who booked which desk or room, check-in by QR, walk-in and repeat bookings.")),
    MenuItem(_("Approve bookings"), "spaces:staff-approvals", "spaces.approve_booking",
             _("Bookings of rooms that need staff approval.")),
    MenuItem(_("Block a space"), "spaces:staff-block", "spaces.block_space",
             _("Hold a space for maintenance or an activity.")),
    MenuItem(_("Space use report"), "spaces:staff-report", "spaces.view_space_report",
             _("Occupancy by hour, weekday and space; no-shows; unique users; XLSX.")),
    MenuItem(_("Spaces and QR codes"), "spaces:staff-spaces", "spaces.view_space",
             _("The spaces of a branch, their photos and the QR code to print at each.")),
]

TODOS = [
    TodoItem(_("Bookings waiting for approval"), "spaces:staff-approvals",
             "bkklib.spaces.queries.count_awaiting_approval", "spaces.approve_booking",
             query="branch={branch}"),
    TodoItem(_("Space bookings today"), "spaces:staff-day", "bkklib.spaces.queries.count_today",
             "spaces.view_booking", query="branch={branch}"),
]


PUBLIC_LINKS = [PublicLink(_("Co-working and rooms"), "spaces:index", order=40)]

ACCOUNT_SECTIONS = [Section("space-bookings", "spaces/partials/account_section.html",
                            "bkklib.spaces.views.public.account_section", order=20)]
