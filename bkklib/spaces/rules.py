"""Pure decisions about space bookings: may this booking be accepted, what slots a day has, no-shows.

Datetimes here are naive Bangkok local time (the services convert): a rule never reads the clock
or the database. ``refusal`` returns a stable reason code, or None when the booking may be made;
the codes are the ``code`` of the refusal the patron reads (exceptions.BookingRefused).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class Rule:
    """The booking rule of one kind of space at one branch (``SpaceRule`` as values)."""

    slot_minutes: int = 60
    window_days: int = 14
    min_notice_minutes: int = 0
    max_hours_per_day: int = 4
    max_hours_per_week: int = 12
    category_ids: frozenset[int] = frozenset()  # empty: every category
    min_age: int | None = None
    requires_approval: bool = False
    buffer_minutes: int = 0
    cancel_cutoff_minutes: int = 60
    release_after_minutes: int = 15
    no_show_limit: int = 3
    no_show_period_days: int = 30
    suspension_days: int = 14


@dataclass(frozen=True)
class Booker:
    """Who the booking is for, as far as the rule cares."""

    category_id: int | None = None
    birth_date: date | None = None
    suspended_until: date | None = None
    day_minutes: int = 0  # already booked by this patron on the booking's day (active bookings)
    week_minutes: int = 0  # ... in the booking's week (Monday to Sunday)


@dataclass(frozen=True)
class Day:
    """The branch's calendar on the booking's day: opening periods and why it is closed, if it is."""

    periods: tuple[tuple[time, time], ...] = ()
    closed: str | None = None  # "holiday", "closure" or "not_open"; None when the branch opens that day


Span = tuple[datetime, datetime]


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on ``day`` of someone born on ``birth``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def week_of(day: date) -> tuple[date, date]:
    """Return the Monday and Sunday of ``day``'s week (the week the weekly limit counts)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def minutes(span: Span) -> int:
    return int((span[1] - span[0]).total_seconds() // 60)


def overlaps(a: Span, b: Span, *, buffer_minutes: int = 0) -> bool:
    """Return True when ``a`` and ``b`` share time, or come closer than ``buffer_minutes``."""
    gap = timedelta(minutes=buffer_minutes)
    return a[0] < b[1] + gap and b[0] < a[1] + gap


def within_hours(span: Span, periods: Iterable[tuple[time, time]]) -> bool:
    """Return True when ``span`` lies inside one opening period of its day (never across closing time)."""
    start, end = span
    if start.date() != end.date():
        return False
    return any(opens_at <= start.time() and end.time() <= closes_at for opens_at, closes_at in periods)


def refusal(*, span: Span, people: int, capacity: int, rule: Rule, booker: Booker | None, day: Day,
            taken: Sequence[Span], now: datetime, by_staff: bool = False) -> str | None:
    """Return the reason code that forbids booking ``span`` for ``people``, or None.

    ``taken`` are the spans already held on the same space; ``booker`` is None for a block (no
    patron: limits, categories and suspensions do not apply). Staff may book the same day without
    notice and beyond the public window (repeat bookings for a term), never into the past.
    """
    start, end = span
    if end <= start:
        return "bad_range"
    if start < now:
        return "in_past"
    if not by_staff:
        if start.date() > now.date() + timedelta(days=rule.window_days):
            return "beyond_window"
        if start < now + timedelta(minutes=rule.min_notice_minutes):
            return "short_notice"
    if minutes(span) % rule.slot_minutes:
        return "slot_length"
    if day.closed:
        return {"holiday": "holiday", "closure": "closed_day"}.get(day.closed, "not_open")
    if not within_hours(span, day.periods):
        return "outside_hours"
    if people < 1:
        return "bad_people"
    if people > capacity:
        return "over_capacity"
    if booker is not None:
        if booker.suspended_until and booker.suspended_until >= start.date():
            return "suspended"
        if rule.category_ids and booker.category_id not in rule.category_ids:
            return "category"
        if rule.min_age is not None and (booker.birth_date is None
                                         or age_on(booker.birth_date, start.date()) < rule.min_age):
            return "too_young"
        length = minutes(span)
        if booker.day_minutes + length > rule.max_hours_per_day * 60:
            return "day_limit"
        if booker.week_minutes + length > rule.max_hours_per_week * 60:
            return "week_limit"
    if any(overlaps(span, other, buffer_minutes=rule.buffer_minutes) for other in taken):
        return "taken"
    return None


def day_slots(day: date, periods: Iterable[tuple[time, time]], slot_minutes: int) -> list[Span]:
    """Return the slots of ``day``: each opening period cut into ``slot_minutes`` from its opening time."""
    slots = []
    step = timedelta(minutes=slot_minutes)
    for opens_at, closes_at in sorted(periods):
        start = datetime.combine(day, opens_at)
        close = datetime.combine(day, closes_at)
        while start + step <= close:
            slots.append((start, start + step))
            start += step
    return slots


def may_cancel(*, starts_at: datetime, now: datetime, cutoff_minutes: int) -> bool:
    """Return True while a patron may still cancel a booking starting at ``starts_at``."""
    return now <= starts_at - timedelta(minutes=cutoff_minutes)


def is_no_show(*, status: str, starts_at: datetime, checked_in: bool, now: datetime, release_after_minutes: int) -> bool:
    """Return True when a confirmed booking nobody checked into should be released at ``now``."""
    return (status == "confirmed" and not checked_in
            and now >= starts_at + timedelta(minutes=release_after_minutes))


def may_check_in(*, starts_at: datetime, ends_at: datetime, now: datetime, early_minutes: int = 15) -> bool:
    """Return True from ``early_minutes`` before the start until the end."""
    return starts_at - timedelta(minutes=early_minutes) <= now < ends_at


def suspension_until(*, no_show_days: Iterable[date], today: date, rule: Rule) -> date | None:
    """Return the last day of a suspension when the no-shows of the last period reach the limit, else None."""
    if not rule.no_show_limit:
        return None
    since = today - timedelta(days=rule.no_show_period_days)
    recent = [d for d in no_show_days if since < d <= today]
    if len(recent) >= rule.no_show_limit:
        return today + timedelta(days=rule.suspension_days)
    return None
