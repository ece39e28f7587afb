"""Read-side questions about the network: is a branch open, when does it next open."""
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Branch, Closure, OpeningPeriod

LONGEST_CLOSURE = timedelta(days=366)


def closures_for(branch: Branch, start: date, end: date) -> list[Closure]:
    """Return the closures (network-wide and the branch's own) touching ``start``..``end``."""
    return list(
        Closure.objects.filter(Q(branch__isnull=True) | Q(branch=branch), starts_on__lte=end, ends_on__gte=start)
    )


def closed_days(branch: Branch, start: date, end: date) -> set[date]:
    """Return every day from ``start`` to ``end`` on which a closure applies to ``branch``."""
    days: set[date] = set()
    for closure in closures_for(branch, start, end):
        day = max(closure.starts_on, start)
        last = min(closure.ends_on, end)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def open_weekdays(branch: Branch) -> set[int]:
    """Return the weekdays (0 = Monday) on which ``branch`` has opening hours."""
    return set(OpeningPeriod.objects.filter(branch=branch).values_list("weekday", flat=True))


def is_open_on(branch: Branch, day: date) -> bool:
    """Return True when ``branch`` opens at some time on ``day`` (hours, status and closures)."""
    if branch.status != Branch.Status.OPEN:
        return False
    if day.weekday() not in open_weekdays(branch):
        return False
    return not closed_days(branch, day, day)


def is_open(branch: Branch, when: datetime) -> bool:
    """Return True when ``branch`` is open at the moment ``when`` (local time, Asia/Bangkok)."""
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    day, moment = local.date(), local.time()
    if not is_open_on(branch, day):
        return False
    return OpeningPeriod.objects.filter(
        branch=branch, weekday=day.weekday(), opens_at__lte=moment, closes_at__gt=moment
    ).exists()


def next_open_day(branch: Branch, day: date) -> date | None:
    """Return the first day on or after ``day`` when ``branch`` opens, or None within a year."""
    if branch.status != Branch.Status.OPEN:
        return None
    weekdays = open_weekdays(branch)
    if not weekdays:
        return None
    closed = closed_days(branch, day, day + LONGEST_CLOSURE)
    current = day
    while current <= day + LONGEST_CLOSURE:
        if current.weekday() in weekdays and current not in closed:
            return current
        current += timedelta(days=1)
    return None


def open_day_checker(branch: Branch, start: date, end: date):
    """Return a fast ``is_open(day)`` for ``start``..``end`` (one query each for hours and closures).

    Rules (due dates, fines) call it many times; it must not query per day.
    """
    weekdays = open_weekdays(branch) if branch.status == Branch.Status.OPEN else set()
    closed = closed_days(branch, start, end)

    def is_open_day(day: date) -> bool:
        if not (start <= day <= end):
            return is_open_on(branch, day)
        return day.weekday() in weekdays and day not in closed

    return is_open_day
