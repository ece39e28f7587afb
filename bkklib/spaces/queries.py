"""The read side of spaces: rules in force, the branch calendar of a day, free/taken, grids, lists and counts.

``is_space_free`` is the small question other apps (events) ask before linking an activity to a room.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Extract
from django.utils import timezone

from bkklib.core import stamps
from bkklib.network import access
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch, Closure

from . import rules
from .models import ACTIVE_STATUSES, Booking, BookingSuspension, Space, SpaceRule

COWORKING_SERVICE = "co-working"


def local(value: datetime) -> datetime:
    """Return ``value`` as naive Bangkok local time (what rules take)."""
    return timezone.localtime(value).replace(tzinfo=None)


def aware(value: datetime) -> datetime:
    """Return naive Bangkok local ``value`` as an aware datetime."""
    return timezone.make_aware(value, timezone.get_current_timezone())


# --- Rules and calendar --------------------------------------------------------------------------------


@stamps.cached("spaces-rules")
def _rule_table(branch_id: int) -> tuple[tuple[int | None, str, rules.Rule], ...]:
    """Return (branch id, kind, Rule) of every rule row applying at ``branch_id`` (kept per process)."""
    rows = (SpaceRule.objects.filter(Q(branch_id=branch_id) | Q(branch__isnull=True))
            .prefetch_related(Prefetch("categories")))
    return tuple((row.branch_id, row.kind, rules.Rule(
        slot_minutes=row.slot_minutes, window_days=row.window_days, min_notice_minutes=row.min_notice_minutes,
        max_hours_per_day=row.max_hours_per_day, max_hours_per_week=row.max_hours_per_week,
        category_ids=frozenset(c.pk for c in row.categories.all()), min_age=row.min_age,
        requires_approval=row.requires_approval, buffer_minutes=row.buffer_minutes,
        cancel_cutoff_minutes=row.cancel_cutoff_minutes, release_after_minutes=row.release_after_minutes,
        no_show_limit=row.no_show_limit, no_show_period_days=row.no_show_period_days,
        suspension_days=row.suspension_days,
    )) for row in rows)


def _pick(table, branch_id: int, kind: str) -> rules.Rule:
    """The most specific row: branch and kind, then branch, then kind, then the network default."""
    matching = [(2 * (b == branch_id) + (k == kind), rule) for b, k, rule in table if k in ("", kind)]
    if not matching:
        return rules.Rule()
    return max(matching, key=lambda pair: pair[0])[1]


def rule_for(space: Space) -> rules.Rule:
    """Return the booking rule in force for ``space`` (the most specific SpaceRule, else the defaults)."""
    return _pick(_rule_table(space.branch_id), space.branch_id, space.kind)


def rules_for_kinds(branch: Branch) -> dict[str, rules.Rule]:
    """Return the rule of every kind of space at ``branch``."""
    table = _rule_table(branch.pk)
    return {kind: _pick(table, branch.pk, kind) for kind in Space.Kind.values}


@dataclass
class Calendar:
    """A branch's opening periods by weekday and its closed days (with why) over a range of days."""

    branch: Branch
    periods: dict[int, tuple[tuple[time, time], ...]]
    closed: dict[date, tuple[str, str]] = field(default_factory=dict)  # day -> (kind, reason)

    def day(self, day: date) -> rules.Day:
        if day in self.closed:
            return rules.Day(closed=self.closed[day][0])
        if self.branch.status != Branch.Status.OPEN or not self.periods.get(day.weekday()):
            return rules.Day(closed="not_open")
        return rules.Day(periods=self.periods[day.weekday()])


@stamps.cached("calendar")
def _periods(branch_id: int) -> tuple[tuple[int, tuple[tuple[time, time], ...]], ...]:
    branch = Branch(pk=branch_id)
    return tuple((weekday, tuple((p.opens_at, p.closes_at) for p in periods))
                 for weekday, periods in network_queries.weekly_hours(branch))


@stamps.cached("calendar")
def _closed(branch_id: int, start: date, end: date) -> tuple[tuple[date, str, str], ...]:
    closed: dict[date, tuple[str, str]] = {}
    for closure in network_queries.closures_for(Branch(pk=branch_id), start, end):
        kind = "holiday" if closure.kind == Closure.Kind.PUBLIC_HOLIDAY else "closure"
        day = max(closure.starts_on, start)
        while day <= min(closure.ends_on, end):
            if closed.get(day, ("",))[0] != "holiday":
                closed[day] = (kind, closure.reason_th)
            day += timedelta(days=1)
    return tuple((day, kind, reason) for day, (kind, reason) in sorted(closed.items()))


def calendar(branch: Branch, start: date, end: date) -> Calendar:
    """Return ``branch``'s calendar from ``start`` to ``end``: the network's hours, closures and holidays
    decide (kept per process under network's "calendar" stamp, so a new closure counts at once)."""
    return Calendar(branch=branch, periods=dict(_periods(branch.pk)),
                    closed={day: (kind, reason) for day, kind, reason in _closed(branch.pk, start, end)})


def taken_spans(space: Space, start: datetime, end: datetime, *, exclude: int | None = None) -> list[rules.Span]:
    """Return the local spans of active bookings of ``space`` touching ``start``..``end`` (aware)."""
    rows = Booking.objects.active().filter(space=space).overlapping(start, end).order_by()
    if exclude:
        rows = rows.exclude(pk=exclude)
    return [(local(s), local(e)) for s, e in rows.values_list("starts_at", "ends_at")]


def is_space_free(space: Space, starts_at: datetime, ends_at: datetime, *, exclude: int | None = None) -> bool:
    """Return True when no active booking or block holds ``space`` between ``starts_at`` and ``ends_at``."""
    rows = Booking.objects.active().filter(space=space).overlapping(starts_at, ends_at).order_by()
    if exclude:
        rows = rows.exclude(pk=exclude)
    return not rows.exists()


def booker(patron, *, day: date) -> rules.Booker:
    """Return what the rules need to know of ``patron`` for a booking on ``day``."""
    monday, sunday = rules.week_of(day)
    week_start, week_end = aware(datetime.combine(monday, time.min)), aware(datetime.combine(sunday + timedelta(1),
                                                                                             time.min))
    day_start, day_end = aware(datetime.combine(day, time.min)), aware(datetime.combine(day + timedelta(1), time.min))
    day_minutes = week_minutes = 0
    for starts_at, ends_at in (Booking.objects.active().filter(patron=patron).exclude(kind=Booking.Kind.BLOCK)
                               .overlapping(week_start, week_end).order_by().values_list("starts_at", "ends_at")):
        length = int((ends_at - starts_at).total_seconds() // 60)
        week_minutes += length
        if starts_at < day_end and ends_at > day_start:
            day_minutes += length
    suspension = (BookingSuspension.objects.filter(patron=patron, ends_on__gte=day, starts_on__lte=day)
                  .order_by("-ends_on").first())
    return rules.Booker(category_id=patron.category_id, birth_date=patron.birth_date,
                        suspended_until=suspension.ends_on if suspension else None,
                        day_minutes=day_minutes, week_minutes=week_minutes)


# --- Public lists and the availability grid ---------------------------------------------------------------


def bookable_spaces(branch: Branch, *, public_only: bool = True) -> QuerySet[Space]:
    rows = Space.objects.filter(branch=branch, is_active=True)
    return rows.filter(is_public=True) if public_only else rows


def branches_with_spaces() -> QuerySet[Branch]:
    """Return the open branches with public spaces or the co-working service, with their space counts."""
    return (Branch.objects.filter(Q(spaces__is_active=True, spaces__is_public=True)
                                  | Q(services__code=COWORKING_SERVICE))
            .annotate(n_spaces=Count("spaces", filter=Q(spaces__is_active=True, spaces__is_public=True),
                                     distinct=True),
                      n_desks=Count("spaces", filter=Q(spaces__is_active=True, spaces__is_public=True,
                                                       spaces__kind=Space.Kind.DESK), distinct=True))
            .filter(status=Branch.Status.OPEN).select_related("district").order_by("code").distinct())


def space_by_id(space_id) -> Space:
    return Space.objects.select_related("branch").get(pk=space_id)


class Cell(NamedTuple):
    start: datetime  # naive local
    end: datetime
    state: str  # "free", "taken", "past"


@dataclass
class GridRow:
    """One space's slots: ``states`` per day (``slots`` are shared by the spaces of one slot length)."""

    space: Space
    states: list[tuple[date, list[rules.Span], list[str]]]

    @property
    def days(self) -> list[tuple[date, list[Cell]]]:
        """Return (day, cells) per day; cells are built only when a page shows them one by one."""
        return [(day, [Cell(a, b, state) for (a, b), state in zip(slots, states, strict=True)])
                for day, slots, states in self.states]

    @property
    def free_count(self) -> int:
        return sum(states.count("free") for _day, _slots, states in self.states)

    @property
    def day_counts(self) -> list[tuple[date, int, int]]:
        """Return (day, slots, free slots) per day: what the week view shows."""
        return [(day, len(states), states.count("free")) for day, _slots, states in self.states]


@dataclass
class Grid:
    branch: Branch
    days: list[date]
    rows: list[GridRow]
    closed: dict[date, tuple[str, str]]


def _minutes(value: datetime, day: date) -> int:
    """Minutes from ``day``'s midnight to ``value`` (negative before, past 1440 after)."""
    return (value.date() - day).days * 1440 + value.hour * 60 + value.minute


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _held_minutes(rows: QuerySet[Booking], zone) -> dict[tuple[int, date], list]:
    """Return {(space id, local day): [(start minute, end minute), ...]} of the bookings ``rows``.

    The model's default ordering is left off (it would join two tables and sort). On PostgreSQL the
    times come as seconds of local wall-clock time since 1970 (``EXTRACT(EPOCH FROM starts_at AT
    TIME ZONE 'Asia/Bangkok')``): turning 2,000 timestamps into aware datetimes costs more than the
    query itself, and the day and minute follow by arithmetic. Elsewhere the datetimes are read.
    """
    taken: dict[tuple[int, date], list[tuple[int, int]]] = defaultdict(list)
    if connection.vendor == "postgresql":
        days: dict[int, date] = {}
        for space_id, s, e in rows.annotate(s=Extract("starts_at", "epoch", tzinfo=zone),
                                            e=Extract("ends_at", "epoch", tzinfo=zone)) \
                .values_list("space_id", "s", "e"):
            s, e = int(s), int(e)
            for d in range(s // 86400, (e - 1) // 86400 + 1):
                day = days.get(d) or days.setdefault(d, date.fromordinal(EPOCH_ORDINAL + d))
                taken[(space_id, day)].append(((s - d * 86400) // 60, (e - d * 86400) // 60))
        return taken
    for space_id, s, e in rows.values_list("space_id", "starts_at", "ends_at"):
        s, e = s.astimezone(zone), e.astimezone(zone)  # _minutes reads only date, hour and minute
        day = s.date()
        while day <= e.date():
            taken[(space_id, day)].append((_minutes(s, day), _minutes(e, day)))
            day += timedelta(days=1)
    return taken


def availability(branch: Branch, start: date, days: int, *, now: datetime, public_only: bool = True,
                 spaces: list[Space] | None = None) -> Grid:
    """Return the free/taken grid of ``branch``'s spaces over ``days`` days from ``start``.

    Two queries (spaces, bookings); the rules and the calendar are kept per process under stamps.

    A slot is free when no active booking (or the rule's buffer around one) touches it, the branch
    is open then, and it has not started yet. The same rule as ``rules.overlaps``, in whole minutes
    of the day: a branch-week of 40 spaces is some 3,000 slots, and datetime arithmetic per slot
    and booking would cost most of the page's time budget.
    """
    end = start + timedelta(days=days - 1)
    spaces = list(spaces if spaces is not None else bookable_spaces(branch, public_only=public_only))
    cal = calendar(branch, start, end)
    kind_rules = rules_for_kinds(branch)
    zone = timezone.get_current_timezone()
    lo, hi = aware(datetime.combine(start, time.min)), aware(datetime.combine(end + timedelta(1), time.min))
    taken = _held_minutes(Booking.objects.active().filter(space__in=spaces).overlapping(lo, hi).order_by(), zone)
    now_local = local(now)
    day_list = [start + timedelta(days=i) for i in range(days)]
    slots_of: dict[tuple[date, int], tuple[list[rules.Span], list[tuple[int, int, bool]]]] = {}
    for day in day_list:
        info = cal.day(day)
        if info.closed:
            continue
        for slot_minutes in {kind_rules[s.kind].slot_minutes for s in spaces}:
            slots = rules.day_slots(day, info.periods, slot_minutes)
            slots_of[(day, slot_minutes)] = (slots, [(_minutes(a, day), _minutes(b, day), a < now_local)
                                                     for a, b in slots])
    rows = []
    for space in spaces:
        rule = kind_rules[space.kind]
        gap = rule.buffer_minutes
        row_days = []
        for day in day_list:
            slots, bounds = slots_of.get((day, rule.slot_minutes), ((), ()))
            states = []
            held = taken.get((space.pk, day))
            mask = None
            if held:  # minutes of the day held (with the buffer): one C-speed search per slot
                mask = bytearray(1440)
                for hs, he in held:
                    hs, he = max(0, hs - gap), min(1440, he + gap)
                    if he > hs:
                        mask[hs:he] = b"\x01" * (he - hs)
            for a, b, past in bounds:
                if past:
                    states.append("past")
                elif mask is not None and mask.find(1, a, b) >= 0:
                    states.append("taken")
                else:
                    states.append("free")
            row_days.append((day, list(slots), states))
        rows.append(GridRow(space=space, states=row_days))
    return Grid(branch=branch, days=day_list, rows=rows, closed=cal.closed)


# --- Patron and staff lists ------------------------------------------------------------------------------------


def bookings_of(patron, *, upcoming_from: datetime | None = None) -> QuerySet[Booking]:
    """Return ``patron``'s bookings (only those not yet ended after ``upcoming_from``), soonest first."""
    rows = Booking.objects.filter(patron=patron).select_related("space", "branch").order_by("starts_at")
    if upcoming_from is not None:
        rows = rows.filter(ends_at__gt=upcoming_from, status__in=ACTIVE_STATUSES)
    return rows


def booking_by_code(code: str) -> Booking | None:
    code = (code or "").strip().upper()
    if code.startswith("SPACES:"):
        code = code[len("SPACES:"):]
    return Booking.objects.select_related("space", "branch", "patron").filter(code=code).first()


def day_bookings(branch: Branch, day: date) -> QuerySet[Booking]:
    """Return every booking and block of ``branch`` on ``day`` (who, when, checked in), by start."""
    lo, hi = aware(datetime.combine(day, time.min)), aware(datetime.combine(day + timedelta(1), time.min))
    return (Booking.objects.filter(branch=branch).overlapping(lo, hi)
            .select_related("space", "patron", "checked_in_by").order_by("starts_at", "space__code"))


def awaiting_approval(branch: Branch) -> QuerySet[Booking]:
    return (Booking.objects.filter(branch=branch, status=Booking.Status.PENDING)
            .select_related("space", "patron").order_by("starts_at"))


def scoped_bookings(user, perm: str = "spaces.view_booking") -> QuerySet[Booking]:
    return access.scope(Booking.objects.select_related("space", "branch", "patron"), user, perm)


def count_awaiting_approval(*, user, branch: Branch, today: date) -> int:
    """To-do: bookings at ``branch`` waiting for staff approval."""
    return Booking.objects.filter(branch=branch, status=Booking.Status.PENDING).count()


def count_today(*, user, branch: Branch, today: date) -> int:
    """To-do: active bookings at ``branch`` today (staff check people in)."""
    return day_bookings(branch, today).filter(status__in=ACTIVE_STATUSES).exclude(kind=Booking.Kind.BLOCK).count()
