"""The government working calendar loaded from the network's holiday table (rules/workdays.py)."""
from bkklib.core import stamps

from .. import rules
from ..models import Closure


@stamps.cached("calendar")
def _holidays() -> frozenset:
    days = set()
    rows = Closure.objects.filter(branch__isnull=True, kind=Closure.Kind.PUBLIC_HOLIDAY)
    for first, last in rows.values_list("starts_on", "ends_on"):
        day = first
        while day <= last:
            days.add(day)
            day = day.fromordinal(day.toordinal() + 1)
    return frozenset(days)


def work_calendar() -> rules.WorkCalendar:
    """Return the government's working calendar: weekends and the network-wide public holidays
    (including substitution and special days), office hours 08:30–16:30. Kept per process until
    a closure changes."""
    return rules.WorkCalendar(holidays=_holidays())
