"""Read-side questions about opening: closures, open days, open now, the open status of many branches."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from bkklib.core import stamps

from .. import rules
from ..models import Branch, Closure, OpeningPeriod

LONGEST_CLOSURE = timedelta(days=366)


def closures_for(branch: Branch, start: date, end: date) -> list[Closure]:
    """Return the closures (network-wide and the branch's own) touching ``start``..``end``."""
    return list(
        Closure.objects.overlapping(start, end, branches=branch)
    )


@stamps.cached("calendar")
def _closed_days(branch_id: int, start: date, end: date) -> frozenset[date]:
    days: set[date] = set()
    rows = Closure.objects.overlapping(start, end, branches=branch_id)
    for first, last in rows.values_list("starts_on", "ends_on"):
        day, last = max(first, start), min(last, end)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def closed_days(branch: Branch, start: date, end: date) -> set[date]:
    """Return every day from ``start`` to ``end`` on which a closure applies to ``branch`` (kept per process)."""
    return set(_closed_days(branch.pk, start, end))


@stamps.cached("calendar")
def _open_weekdays(branch_id: int) -> frozenset[int]:
    return frozenset(OpeningPeriod.objects.filter(branch_id=branch_id).values_list("weekday", flat=True))


def open_weekdays(branch: Branch) -> set[int]:
    """Return the weekdays (0 = Monday) on which ``branch`` has opening hours (kept per process)."""
    return set(_open_weekdays(branch.pk))


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


@dataclass(frozen=True)
class OpenStatus:
    """Today's status of a branch: open now?, today's periods, and the next day it opens."""

    is_open_now: bool
    today: date
    today_periods: tuple[rules.Period, ...]
    is_open_today: bool
    next_open_day: date | None


STATUS_HORIZON = timedelta(days=62)


def open_status(branches, now: datetime | None = None) -> dict[int, OpenStatus]:
    """Return each branch's OpenStatus at ``now`` in two queries, whatever the number of branches.

    Prefetch ``opening_periods`` on the branches to avoid one more query per branch.
    """
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    branches = list(branches)
    if not branches:
        return {}
    ids = [b.pk for b in branches]
    closed: dict[int | None, set[date]] = {}
    for branch_id, starts, ends in Closure.objects.overlapping(
        today, today + STATUS_HORIZON, branches=ids
    ).values_list("branch_id", "starts_on", "ends_on"):
        day = max(starts, today)
        while day <= min(ends, today + STATUS_HORIZON):
            closed.setdefault(branch_id, set()).add(day)
            day += timedelta(days=1)
    network_closed = closed.get(None, set())
    result = {}
    for branch in branches:
        periods = tuple(rules.Period(p.weekday, p.opens_at, p.closes_at) for p in branch.opening_periods.all())
        days_closed = network_closed | closed.get(branch.pk, set())
        weekdays = {p.weekday for p in periods} if branch.status == Branch.Status.OPEN else set()
        open_today = today.weekday() in weekdays and today not in days_closed
        today_periods = tuple(p for p in periods if p.weekday == today.weekday())
        # After today's last period has closed, the next open day is tomorrow at the earliest.
        done_today = not today_periods or now.time() >= max(p.closes_at for p in today_periods)
        start = today + timedelta(days=1) if open_today and done_today else today
        next_day = rules.next_open_day(start=start, weekdays=weekdays, closed=days_closed,
                                       horizon_days=STATUS_HORIZON.days)
        if next_day is None and weekdays:
            next_day = next_open_day(branch, today + STATUS_HORIZON)  # a long closure: look further
        result[branch.pk] = OpenStatus(
            is_open_now=rules.open_now(at=now.replace(tzinfo=None), periods=periods, day_is_open=open_today),
            today=today,
            today_periods=today_periods,
            is_open_today=open_today,
            next_open_day=next_day,
        )
    return result
