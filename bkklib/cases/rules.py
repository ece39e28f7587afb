"""Pure decisions of casework: allowed state changes, the clocks' due times, which alerts are due.

The clocks themselves are the network's (``network.rules.workdays``): this module only says which
states pause them and when a reminder or an escalation falls due.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bkklib.network.rules import workdays

NEW, IN_PROGRESS, WAITING, RESOLVED, CLOSED = "new", "in_progress", "waiting", "resolved", "closed"

# state -> states it may move to. Reopening is RESOLVED/CLOSED -> IN_PROGRESS (counted).
TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({IN_PROGRESS, WAITING, CLOSED}),
    IN_PROGRESS: frozenset({WAITING, RESOLVED}),
    WAITING: frozenset({IN_PROGRESS}),
    RESOLVED: frozenset({CLOSED, IN_PROGRESS}),
    CLOSED: frozenset({IN_PROGRESS}),
}
PAUSING_STATES = frozenset({WAITING})  # the clocks stand still while the case waits for the requester
DONE_STATES = frozenset({RESOLVED, CLOSED})
REMINDER_SHARE = 0.25  # remind when a quarter of the clock (counting time) is left
MIN_REMINDER_LEAD = timedelta(hours=1)


def may_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_reopen(current: str, target: str) -> bool:
    return current in DONE_STATES and target == IN_PROGRESS


def counts_as_response(current: str, target: str) -> bool:
    """Receiving the case (or asking the requester something) is the first response."""
    return current == NEW and target in (IN_PROGRESS, WAITING, CLOSED)


@dataclass(frozen=True)
class Clock:
    unit: str
    amount: int
    start: datetime


def due(calendar: workdays.WorkCalendar, clock: Clock, pauses: Iterable[tuple[datetime, datetime | None]] = (),
        now: datetime | None = None) -> datetime:
    """Return when ``clock`` falls due, given the pauses so far (an open pause counts up to ``now``)."""
    return workdays.due_at(calendar, unit=clock.unit, amount=clock.amount, start=clock.start, pauses=pauses,
                           now=now)


def reminder_at(calendar: workdays.WorkCalendar, clock: Clock, due_at: datetime) -> datetime:
    """Return when to remind the handler: when a quarter of the counting time is left (at least an hour)."""
    unit = workdays.BUSINESS_HOURS if clock.unit == workdays.BUSINESS_DAYS else clock.unit
    total = workdays.counted(calendar, unit, clock.start, due_at)
    lead = max(total * REMINDER_SHARE, MIN_REMINDER_LEAD)
    if lead >= total:
        return clock.start
    # Walk back ``lead`` of counting time from the due moment: the remaining time at the reminder is ``lead``.
    return workdays.advance(calendar, unit, clock.start, total - lead)


def alert_due(*, kind: str, now: datetime, due_at: datetime, remind_at: datetime) -> bool:
    """Return whether an alert of ``kind`` ("reminder" before the deadline, "escalation" at breach) is due."""
    if kind == "escalation":
        return now >= due_at
    return remind_at <= now < due_at


def on_time(due_at: datetime, done_at: datetime | None) -> bool | None:
    """Return whether work done at ``done_at`` met ``due_at`` (None while not done)."""
    if done_at is None:
        return None
    return done_at <= due_at
