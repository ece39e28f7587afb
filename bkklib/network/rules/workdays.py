"""The Thai government's working calendar and deadline clocks, pure (docs/architecture.md,
Cross-cutting mechanisms: "Deadlines").

Government offices work Monday to Friday, 08:30–16:30, except public holidays and the
substitution (ชดเชย) and special days the cabinet announces — the network's holiday table, which
``network.queries.work_calendar`` loads into a ``WorkCalendar``. Casework deadlines are counted in
one of three units:

- ``CALENDAR_HOURS``: wall-clock hours ("report within 24 hours": filed 23:00, due 23:00 the next day);
- ``BUSINESS_HOURS``: office hours on working days only;
- ``BUSINESS_DAYS``: by the end of the office day of the Nth working day after the day of filing
  ("ภายใน 3 วันทำการ"; a case filed after hours or on a holiday counts from the next working day).

A clock pauses while a case waits for the requester: the due time moves later by the counting
time that passed during each pause (pauses counted in the same unit as the clock).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

CALENDAR_HOURS = "calendar_hours"
BUSINESS_HOURS = "business_hours"
BUSINESS_DAYS = "business_days"
UNITS = (CALENDAR_HOURS, BUSINESS_HOURS, BUSINESS_DAYS)

OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(16, 30)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
_SEARCH_LIMIT_DAYS = 3660  # a clock never runs ten years: stops a loop on a calendar with no working day


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and office hours. ``holidays``: days off besides the weekend."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = WEEKEND
    opens: time = OFFICE_OPENS
    closes: time = OFFICE_CLOSES

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after ``day``."""
        for step in range(1, _SEARCH_LIMIT_DAYS):
            candidate = day + timedelta(days=step)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("no working day within ten years")

    def add_working_days(self, day: date, count: int) -> date:
        """Return the ``count``-th working day after ``day`` (``count`` ≥ 0; 0 is ``day`` itself)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Count the working days from ``first`` to ``last``, both included."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def office_windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Yield the office-hour windows from ``start`` on (the first may begin mid-window)."""
        tz = start.tzinfo
        day = start.date()
        for _ in range(_SEARCH_LIMIT_DAYS):
            if self.is_working_day(day):
                opens = datetime.combine(day, self.opens, tz)
                closes = datetime.combine(day, self.closes, tz)
                if closes > start:
                    yield max(opens, start), closes
            day += timedelta(days=1)


def _windows(calendar: WorkCalendar, unit: str, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    if unit == CALENDAR_HOURS:
        yield start, datetime.max.replace(tzinfo=start.tzinfo)
    else:
        yield from calendar.office_windows(start)


def counted(calendar: WorkCalendar, unit: str, start: datetime, end: datetime) -> timedelta:
    """Return the counting time between ``start`` and ``end`` (calendar time or office time)."""
    if end <= start:
        return timedelta(0)
    total = timedelta(0)
    for opens, closes in _windows(calendar, unit, start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total


def advance(calendar: WorkCalendar, unit: str, start: datetime, amount: timedelta) -> datetime:
    """Return the moment ``amount`` of counting time after ``start``."""
    left = amount
    for opens, closes in _windows(calendar, unit, start):
        if left <= closes - opens:
            return opens + left
        left -= closes - opens
    raise ValueError("the clock runs past the calendar")


def _paused(calendar: WorkCalendar, unit: str, pauses: Iterable[tuple[datetime, datetime | None]],
            now: datetime | None) -> timedelta:
    total = timedelta(0)
    counting_unit = BUSINESS_HOURS if unit == BUSINESS_DAYS else unit
    for began, ended in pauses:
        ended = ended or now
        if ended is not None and ended > began:
            total += counted(calendar, counting_unit, began, ended)
    return total


def due_at(calendar: WorkCalendar, *, unit: str, amount: int, start: datetime,
           pauses: Iterable[tuple[datetime, datetime | None]] = (), now: datetime | None = None) -> datetime:
    """Return when a clock of ``amount`` ``unit``s started at ``start`` falls due.

    ``pauses`` are (from, to) intervals in which the clock stood still; an open pause (to=None)
    counts up to ``now``.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown clock unit {unit!r}")
    if amount < 0:
        raise ValueError("a clock cannot run a negative amount")
    if unit == BUSINESS_DAYS:
        day = start.date()
        # Filed after the office closed, or on a day off: the day of filing is the next working day.
        if not calendar.is_working_day(day) or start.time() >= calendar.closes:
            day = calendar.next_working_day(day)
        due = datetime.combine(calendar.add_working_days(day, amount), calendar.closes, start.tzinfo)
        paused = _paused(calendar, unit, pauses, now)
        return advance(calendar, BUSINESS_HOURS, due, paused) if paused else due
    due = advance(calendar, unit, start, timedelta(hours=amount))
    paused = _paused(calendar, unit, pauses, now)
    return advance(calendar, unit, due, paused) if paused else due


def remaining(calendar: WorkCalendar, *, unit: str, due: datetime, now: datetime) -> timedelta:
    """Return the counting time left until ``due`` (negative once breached, in calendar time)."""
    if now >= due:
        return -(now - due)
    counting_unit = BUSINESS_HOURS if unit == BUSINESS_DAYS else unit
    return counted(calendar, counting_unit, now, due)
