"""The read side of spaces: rules in force, the branch calendar of a day, free/taken, grids, lists and counts.

``is_space_free`` is the small question other apps (events) ask before linking an activity to a room.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

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


def _rule_rows(branch_id: int) -> list[SpaceRule]:
    return list(SpaceRule.objects.filter(Q(branch_id=branch_id) | Q(branch__isnull=True))
                .prefetch_related(Prefetch("categories")))


def _pick(rows: list[SpaceRule], branch_id: int, kind: str) -> rules.Rule:
    def rank(row: SpaceRule) -> int:
        return (2 if row.branch_id == branch_id else 0) + (1 if row.kind == kind else 0)

    matching = [r for r in rows if r.kind in ("", kind)]
    if not matching:
        return rules.Rule()
    row = max(matching, key=rank)
    return rules.Rule(
        slot_minutes=row.slot_minutes, window_days=row.window_days, min_notice_minutes=row.min_notice_minutes,
        max_hours_per_day=row.max_hours_per_day, max_hours_per_week=row.max_hours_per_week,
        category_ids=frozenset(c.pk for c in row.categories.all()), min_age=row.min_age,
        requires_approval=row.requires_approval, buffer_minutes=row.buffer_minutes,
        cancel_cutoff_minutes=row.cancel_cutoff_minutes, release_after_minutes=row.release_after_minutes,
        no_show_limit=row.no_show_limit, no_show_period_days=row.no_show_period_days,
        suspension_days=row.suspension_days,
    )


def rule_for(space: Space) -> rules.Rule:
    """Return the booking rule in force for ``space`` (the most specific SpaceRule, else the defaults)."""
    return _pick(_rule_rows(space.branch_id), space.branch_id, space.kind)


def rules_for_kinds(branch: Branch) -> dict[str, rules.Rule]:
    """Return the rule of every kind of space at ``branch`` (two queries)."""
    rows = _rule_rows(branch.pk)
    return {kind: _pick(rows, branch.pk, kind) for kind in Space.Kind.values}


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


def calendar(branch: Branch, start: date, end: date) -> Calendar:
    """Return ``branch``'s calendar from ``start`` to ``end`` (the network calendar decides; two queries)."""
    periods: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, periods_of_day in network_queries.weekly_hours(branch):
        periods[weekday] = [(p.opens_at, p.closes_at) for p in periods_of_day]
    closed: dict[date, tuple[str, str]] = {}
    for closure in network_queries.closures_for(branch, start, end):
        kind = "holiday" if closure.kind == Closure.Kind.PUBLIC_HOLIDAY else "closure"
        day = max(closure.starts_on, start)
        while day <= min(closure.ends_on, end):
            if closed.get(day, ("",))[0] != "holiday":
                closed[day] = (kind, closure.reason_th)
            day += timedelta(days=1)
    return Calendar(branch=branch, periods={k: tuple(v) for k, v in periods.items()}, closed=closed)


def taken_spans(space: Space, start: datetime, end: datetime, *, exclude: int | None = None) -> list[rules.Span]:
    """Return the local spans of active bookings of ``space`` touching ``start``..``end`` (aware)."""
    rows = Booking.objects.active().filter(space=space).overlapping(start, end)
    if exclude:
        rows = rows.exclude(pk=exclude)
    return [(local(s), local(e)) for s, e in rows.values_list("starts_at", "ends_at")]


def is_space_free(space: Space, starts_at: datetime, ends_at: datetime, *, exclude: int | None = None) -> bool:
    """Return True when no active booking or block holds ``space`` between ``starts_at`` and ``ends_at``."""
    rows = Booking.objects.active().filter(space=space).overlapping(starts_at, ends_at)
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
                               .overlapping(week_start, week_end).values_list("starts_at", "ends_at")):
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


@dataclass(frozen=True)
class Cell:
    start: datetime  # naive local
    end: datetime
    state: str  # "free", "taken", "past", "closed"


@dataclass
class GridRow:
    space: Space
    days: list[tuple[date, list[Cell]]]

    @property
    def free_count(self) -> int:
        return sum(c.state == "free" for _d, cells in self.days for c in cells)


@dataclass
class Grid:
    branch: Branch
    days: list[date]
    rows: list[GridRow]
    closed: dict[date, tuple[str, str]]


def availability(branch: Branch, start: date, days: int, *, now: datetime, public_only: bool = True,
                 spaces: list[Space] | None = None) -> Grid:
    """Return the free/taken grid of ``branch``'s spaces over ``days`` days from ``start`` (a few queries).

    A slot is free when no active booking (or buffer around one) touches it, the branch is open
    then, and it has not started yet.
    """
    end = start + timedelta(days=days - 1)
    spaces = list(spaces if spaces is not None else bookable_spaces(branch, public_only=public_only))
    cal = calendar(branch, start, end)
    kind_rules = rules_for_kinds(branch)
    lo, hi = aware(datetime.combine(start, time.min)), aware(datetime.combine(end + timedelta(1), time.min))
    taken: dict[tuple[int, date], list[rules.Span]] = defaultdict(list)
    for space_id, s, e in (Booking.objects.active().filter(space__in=spaces).overlapping(lo, hi)
                           .values_list("space_id", "starts_at", "ends_at")):
        span = (local(s), local(e))
        day = span[0].date()
        while day <= span[1].date():
            taken[(space_id, day)].append(span)
            day += timedelta(days=1)
    now_local = local(now)
    rows = []
    day_list = [start + timedelta(days=i) for i in range(days)]
    for space in spaces:
        rule = kind_rules[space.kind]
        row_days = []
        for day in day_list:
            info = cal.day(day)
            cells = []
            if not info.closed:
                held = taken.get((space.pk, day), [])
                for slot in rules.day_slots(day, info.periods, rule.slot_minutes):
                    if slot[0] < now_local:
                        state = "past"
                    elif any(rules.overlaps(slot, other, buffer_minutes=rule.buffer_minutes) for other in held):
                        state = "taken"
                    else:
                        state = "free"
                    cells.append(Cell(slot[0], slot[1], state))
            row_days.append((day, cells))
        rows.append(GridRow(space=space, days=row_days))
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
