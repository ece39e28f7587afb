"""The events app on the staff home page and on the public site (core/menus.py, core/public.py)."""
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem
from bkklib.core.public import PublicLink, Section

ITEMS = [
    MenuItem(_("Activities"), "events_staff:home", "events.view_activity",
             _("Activities, sessions, registrations and check-in at your branches.")),
    MenuItem(_("Festivals"), "events_staff:festivals", "events.view_festival",
             _("The city's festival of each month."), nav=False),
    MenuItem(_("Reading-promotion projects"), "events_staff:projects", "events.view_project",
             _("Projects of each fiscal year with budgets and targets."), nav=False),
    MenuItem(_("Activity report"), "events_staff:report", "events.view_report",
             _("Targets against actual per project; each festival month by branch."), nav=False),
]

TODOS = [
    TodoItem(_("Activity sessions today"), "events_staff:home", "bkklib.events.queries.count_sessions_today",
             "events.view_session", _("Check participants in and count walk-ins.")),
]

PUBLIC_LINKS = [PublicLink(_("Activities"), "events:list", order=40)]

HOME_SECTIONS = [Section("events-home", "events/partials/home_festival.html", "bkklib.events.menu.home_context",
                         order=20, cache_seconds=120)]

ACCOUNT_SECTIONS = [Section("events-account", "events/partials/account_registrations.html",
                            "bkklib.events.menu.account_context", order=30)]


def home_context(today):
    """This month's festival and the next sessions (None when there is neither)."""
    from . import queries

    sessions = list(queries.public_sessions(queries.Filters(end=today + timedelta(days=31)), today=today)[:5])
    festival = queries.festival_of_month(today)
    if not sessions and festival is None:
        return None
    return {"festival": festival, "sessions": sessions}


def account_context(patron, today):
    """The patron's registrations of sessions not yet over (None when there is none)."""
    from . import queries

    rows = list(queries.registrations_of(patron, today=today))
    return {"registrations": rows} if rows else None

