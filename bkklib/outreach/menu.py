"""Outreach on the staff home page and on the public site (core/menus.py, core/public.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem
from bkklib.core.public import PublicLink

ITEMS = [
    MenuItem(_("Mobile libraries and reading houses"), "outreach:staff-home", "outreach.view_stop",
             _("Trips of the vehicles, deposit collections, volunteer desk conflicts, statistics.")),
    MenuItem(_("Vehicles, routes and stops"), "outreach:staff-stops", "outreach.view_stop",
             _("Vehicles and their maintenance log, routes, stops and timetables of the mobile libraries.")),
    MenuItem(_("Volunteer desk conflicts"), "outreach:staff-conflicts", "outreach.view_syncaction",
             _("Loans and returns made offline at reading houses that need staff.")),
    MenuItem(_("Deposit collections"), "outreach:staff-deposits", "outreach.view_depositcollection",
             _("Books sent to reading houses for a period: send, receive, recall, return.")),
    MenuItem(_("Outreach statistics"), "outreach:staff-statistics", "outreach.view_visitrecord",
             _("Visits, loans and people served per stop, vehicle, reading house, district and month; XLSX.")),
]

TODOS = [
    TodoItem(_("Volunteer desk conflicts"), "outreach:staff-conflicts",
             "bkklib.outreach.queries.count_open_conflicts", "outreach.resolve_syncaction"),
    TodoItem(_("Deposit collections due back"), "outreach:staff-deposits",
             "bkklib.outreach.queries.count_deposits_due", "outreach.view_depositcollection"),
]

PUBLIC_LINKS = [PublicLink(_("Mobile libraries"), "outreach:index", order=45)]
