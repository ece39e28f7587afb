"""Volunteers on the staff home page and on the public site (core/menus.py, core/public.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem
from bkklib.core.public import PublicLink

ITEMS = [
    MenuItem(_("Volunteers"), "volunteers:staff-home", "volunteers.view_volunteer",
             _("Applications, volunteers, agreements, hours to approve.")),
    MenuItem(_("Volunteers on shift today"), "volunteers:staff-today", "volunteers.view_signup",
             _("Check volunteers in and out at the desk.")),
    MenuItem(_("Volunteer roster"), "volunteers:staff-roster", "volunteers.view_shift",
             _("Shifts of the branch for the next four weeks; add shifts; approve swaps; the QR check-in poster.")),
    MenuItem(_("Volunteer recruitment set-up"), "volunteers:staff-setup", "volunteers.view_call",
             _("Recruitment calls, criteria, benefits in force and evaluation forms.")),
]

TODOS = [
    TodoItem(_("Volunteer shift swaps to approve"), "volunteers:staff-roster",
             "bkklib.volunteers.queries.count_swaps_waiting", "volunteers.approve_hours"),
    TodoItem(_("Volunteer applications to decide"), "volunteers:staff-home",
             "bkklib.volunteers.queries.count_applications_waiting", "volunteers.decide_application"),
    TodoItem(_("Volunteer hours to approve"), "volunteers:staff-home", "bkklib.volunteers.queries.count_hours_waiting",
             "volunteers.approve_hours"),
]

PUBLIC_LINKS = [PublicLink(_("Volunteer"), "volunteers:index", order=60)]
