"""Read-side questions about the network: opening, freshness, structure, staff coverage, pickup points."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bkklib.core import stamps
from bkklib.core.collation import sort_key, thai_sorted

from . import access, rules
from .models import Assignment, Branch, Closure, OpeningPeriod, OrgUnit, OrgVersion, Position, StaffingLevel, UnitBranch

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


# --- Open status of many branches at once (directory, API lists) -----------------------------------


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


# --- Freshness ---------------------------------------------------------------------------------------


def stale_after_days() -> int:
    """Return the configured number of days after which verified data becomes stale."""
    return int(settings.BKKLIB.get("STALE_AFTER_DAYS", 90))


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def stale_q(today: date | None = None) -> Q:
    """Return the filter of stale branches on ``today`` (the query twin of ``rules.staleness``)."""
    today = today or timezone.localdate()
    cutoff = rules.stale_cutoff(today, stale_after_days())
    return Q(verified_at__isnull=True) | Q(changed_since_verified=True) | Q(verified_at__lt=_start_of_day(cutoff))


def staleness_of(branch: Branch, today: date | None = None) -> str | None:
    """Return why ``branch``'s basic data is stale on ``today``, or None."""
    today = today or timezone.localdate()
    verified_on = timezone.localdate(branch.verified_at) if branch.verified_at else None
    return rules.staleness(verified_on=verified_on, changed_since_verified=branch.changed_since_verified,
                           today=today, stale_after_days=stale_after_days())


def stale_branches(queryset=None, today: date | None = None):
    """Return the stale branches of ``queryset`` (all branches by default)."""
    return (queryset if queryset is not None else Branch.objects.all()).filter(stale_q(today))


def count_stale_branches(*, user, branch: Branch, today: date) -> int:
    """Return how many branches ``user`` must confirm are stale on ``today`` (the freshness page's list).

    A staff home to-do (``network.menu.TODOS``): the list is the user's branches, not the desk's
    alone, so the count matches what the freshness page shows.
    """
    return stale_branches(access.branches_for(user, "network.verify_branch"), today).count()


def verifiers_of(branches, today: date | None = None) -> dict[int, list]:
    """Return, per branch id, the staff members responsible for confirming its data today.

    Those assigned to the branch today whose role may verify branch data; when there is none,
    the head of the unit responsible for the branch in the structure in force.
    """
    today = today or timezone.localdate()
    branches = list(branches)
    ids = [b.pk for b in branches]
    found: dict[int, list] = {pk: [] for pk in ids}
    assignments = (
        Assignment.objects.active_on(today).filter(branch_id__in=ids, staff__is_active=True,
                                  staff__user__is_active=True)
        .select_related("staff__user").order_by("staff__employee_code")
    )
    can_verify: dict[int, bool] = {}
    for a in assignments:
        user = a.staff.user
        if user.pk not in can_verify:
            can_verify[user.pk] = user.has_perm("network.verify_branch")
        if can_verify[user.pk] and a.staff not in found[a.branch_id]:
            found[a.branch_id].append(a.staff)
    orphans = [pk for pk, staff in found.items() if not staff]
    version = version_in_force(today)
    if orphans and version is not None:
        heads = {}
        for p in Position.objects.filter(unit__version=version, is_head=True, holder__isnull=False,
                                         holder__is_active=True).select_related("holder__user"):
            heads[p.unit_id] = p.holder
        for link in UnitBranch.objects.filter(version=version, branch_id__in=orphans).select_related("unit"):
            unit = link.unit
            holder = heads.get(unit.pk)
            if holder is None and unit.parent_id:
                holder = heads.get(unit.parent_id)
            if holder is not None:
                found[link.branch_id].append(holder)
    return found


# --- Organisation structure ------------------------------------------------------------------------


def version_in_force(on: date | None = None) -> OrgVersion | None:
    """Return the structure version in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return OrgVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def scheduled_versions(after: date | None = None):
    """Return the versions that take effect after ``after`` (today by default)."""
    after = after or timezone.localdate()
    return OrgVersion.objects.filter(effective_from__gt=after).order_by("effective_from")


def draft_versions():
    """Return the structure versions still being drafted (no effective date yet)."""
    return OrgVersion.objects.filter(effective_from__isnull=True).order_by("-created_at")


@dataclass
class OrgNode:
    """A unit of the org chart with its sub-units, branches and positions."""

    unit: OrgUnit
    children: list = field(default_factory=list)
    branches: list = field(default_factory=list)
    positions: list = field(default_factory=list)

    def walk(self, depth: int = 0):
        """Yield (depth, node) for this node and every node below it, depth first."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def org_tree(version: OrgVersion | None) -> list[OrgNode]:
    """Return the root nodes of a structure version's tree (three queries)."""
    if version is None:
        return []
    nodes = {u.pk: OrgNode(u) for u in version.units.order_by("order", "code")}
    for link in (UnitBranch.objects.filter(version=version).select_related("branch__district")
                 .order_by("branch__kind", "branch__name_th")):
        nodes[link.unit_id].branches.append(link.branch)
    for position in Position.objects.filter(unit__version=version).select_related("holder"):
        nodes[position.unit_id].positions.append(position)
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def org_chart(on: date | None = None) -> list[OrgNode]:
    """Return the org chart in force on ``on`` (today by default): root nodes of its tree."""
    return org_tree(version_in_force(on))


def unit_of(branch: Branch, on: date | None = None) -> OrgUnit | None:
    """Return the unit responsible for ``branch`` in the structure in force on ``on``."""
    version = version_in_force(on)
    if version is None:
        return None
    link = UnitBranch.objects.filter(version=version, branch=branch).select_related("unit").first()
    return link.unit if link else None


def snapshot(version: OrgVersion | None) -> dict[str, rules.UnitSnapshot]:
    """Return a version's units as comparable snapshots keyed by unit code."""
    if version is None:
        return {}
    units = {u.pk: u for u in version.units.all()}
    branches: dict[int, set[str]] = {}
    for unit_id, code in UnitBranch.objects.filter(version=version).values_list("unit_id", "branch__code"):
        branches.setdefault(unit_id, set()).add(code)
    return {
        u.code: rules.UnitSnapshot(
            code=u.code, name=u.name_th, kind=u.kind,
            parent=units[u.parent_id].code if u.parent_id in units else None,
            branches=frozenset(branches.get(u.pk, ())),
            parent_name=units[u.parent_id].name_th if u.parent_id in units else "",
        )
        for u in units.values()
    }


def compare_versions(before: OrgVersion | None, after: OrgVersion | None) -> list[rules.UnitDiff]:
    """Compare two structure versions unit by unit (side by side on the staff page), in Thai order of names."""
    rows = rules.compare_structures(snapshot(before), snapshot(after))
    return thai_sorted(rows, key=lambda row: (row.after or row.before).name)


# --- Staff coverage ----------------------------------------------------------------------------------


def open_days(branches, start: date, end: date) -> dict[int, set[date]]:
    """Return, per branch id, the days from ``start`` to ``end`` it is open (three queries in all)."""
    branches = list(branches)
    ids = [b.pk for b in branches]
    weekdays: dict[int, set[int]] = {}
    for branch_id, weekday in OpeningPeriod.objects.filter(branch_id__in=ids).values_list("branch_id", "weekday"):
        weekdays.setdefault(branch_id, set()).add(weekday)
    closed: dict[int | None, set[date]] = {}
    rows = Closure.objects.overlapping(start, end, branches=ids)
    for branch_id, starts, ends in rows.values_list("branch_id", "starts_on", "ends_on"):
        day = max(starts, start)
        while day <= min(ends, end):
            closed.setdefault(branch_id, set()).add(day)
            day += timedelta(days=1)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    result = {}
    for branch in branches:
        if branch.status != Branch.Status.OPEN:
            result[branch.pk] = set()
            continue
        shut = closed.get(None, set()) | closed.get(branch.pk, set())
        result[branch.pk] = {d for d in days if d.weekday() in weekdays.get(branch.pk, ()) and d not in shut}
    return result


def roster(start: date, end: date, branches=None) -> rules.Roster:
    """Build the coverage roster for ``start``..``end``: who works where, and each open day's minimum.

    A person counts at the branch of their secondment on the days it is active, otherwise at
    their primary post(s); inactive staff count nowhere. ``home`` lists the people with exactly
    one primary post active over the whole range (only they may be lent). With ``branches``,
    minimums are those of these branches, and everyone who works at one of them is included.
    """
    scope = list(branches) if branches is not None else list(Branch.objects.all())
    ids = {b.pk for b in scope}
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    assignments = Assignment.objects.active_between(start, end).filter(staff__is_active=True)
    if branches is not None:
        people = Assignment.objects.active_between(start, end).filter(branch_id__in=ids).values("staff_id")
        assignments = assignments.filter(staff_id__in=people)
    by_staff: dict[int, list[tuple]] = {}
    for staff_id, branch_id, kind, starts, ends in assignments.values_list(
        "staff_id", "branch_id", "kind", "starts_on", "ends_on"
    ):
        by_staff.setdefault(staff_id, []).append((branch_id, kind, starts, ends))
    working: dict[date, dict[int, set[int]]] = {d: {} for d in days}
    home: dict[int, int] = {}
    for staff_id, rows in by_staff.items():
        primaries_all_range = {
            b for b, kind, s, e in rows
            if kind == Assignment.Kind.PRIMARY and s <= start and (e is None or e >= end)
        }
        if len(primaries_all_range) == 1:
            home[staff_id] = next(iter(primaries_all_range))
        for day in days:
            active = [(b, kind) for b, kind, s, e in rows if s <= day and (e is None or e >= day)]
            seconded = {b for b, kind in active if kind == Assignment.Kind.SECONDMENT}
            places = seconded or {b for b, kind in active if kind == Assignment.Kind.PRIMARY}
            for branch_id in places:
                working[day].setdefault(branch_id, set()).add(staff_id)
    levels: dict[int, dict[int, int]] = {}
    for branch_id, weekday, minimum in StaffingLevel.objects.filter(branch_id__in=ids).values_list(
        "branch_id", "weekday", "minimum_staff"
    ):
        levels.setdefault(branch_id, {})[weekday] = minimum
    minimum: dict[tuple[int, date], int] = {}
    for branch_id, opened in open_days(scope, start, end).items():
        for day in opened:
            need = levels.get(branch_id, {}).get(day.weekday(), 0)
            if need:
                minimum[(branch_id, day)] = need
    return rules.Roster(days=days, working=working, minimum=minimum, home=home)


@dataclass
class Coverage:
    """Understaffed branch-days of a range and the secondments that would fix them."""

    start: date
    end: date
    shortages: list
    proposals: list
    unresolved: list
    branches: dict


def coverage(start: date, end: date, branches=None) -> Coverage:
    """Return the branch-days below minimum from ``start`` to ``end`` and secondment proposals.

    Proposals take people from branches with spare staff on those days, never leaving a lending
    branch below its own minimum; nearer branches (same district) are preferred.
    """
    # The whole network is planned at once: any branch with spare staff may lend.
    plan = roster(start, end)
    by_id = {b.pk: b for b in Branch.objects.select_related("district")}
    district = {pk: b.district_id for pk, b in by_id.items()}

    def closeness(a: int, b: int) -> int:
        return 0 if district.get(a) == district.get(b) else 1

    found = rules.shortages(plan)
    proposals, unresolved = rules.propose_secondments(plan, closeness=closeness)
    if branches is not None:
        wanted = {b.pk for b in branches}
        found = [s for s in found if s.branch in wanted]
        proposals = [p for p in proposals if p.to_branch in wanted]
        unresolved = [s for s in unresolved if s.branch in wanted]
    return Coverage(start, end, found, proposals, unresolved, by_id)


def weekly_hours(branch: Branch) -> list[tuple[int, list[OpeningPeriod]]]:
    """Return ``(weekday, periods)`` for Monday..Sunday; a day without periods is a closed day (shown "ปิด")."""
    by_day: dict[int, list[OpeningPeriod]] = {weekday: [] for weekday in range(7)}
    for period in branch.opening_periods.all():
        by_day[period.weekday].append(period)
    return [(weekday, sorted(by_day[weekday], key=lambda p: p.opens_at)) for weekday in range(7)]


# --- Pickup points ---------------------------------------------------------------------------------

# Kinds of branch without a lending desk where a patron could collect a hold.
NO_PICKUP_KINDS = (Branch.Kind.OFFICE, Branch.Kind.MOBILE_UNIT, Branch.Kind.MUSEUM)
NEARBY_PICKUP_POINTS = 8

def pickup_points():
    """Return the branches where patrons may collect holds: open libraries with a lending desk."""
    return Branch.objects.filter(status=Branch.Status.OPEN).exclude(kind__in=NO_PICKUP_KINDS)


def accepts_pickups(branch: Branch) -> bool:
    """Return True when holds may be collected at ``branch`` (the rule of ``pickup_points``)."""
    return branch.status == Branch.Status.OPEN and branch.kind not in NO_PICKUP_KINDS


@dataclass(frozen=True)
class PickupChoices:
    """Pickup points for one patron: their home branch and the nearest first, the rest in Thai order."""

    home: Branch | None
    nearby: list[Branch]  # the home branch (when it takes pickups) first, then the nearest
    others: list[Branch]
    distances: dict[int, float] = field(default_factory=dict)  # branch id -> km from the home branch

    def __iter__(self):
        yield from self.nearby
        yield from self.others

    def __len__(self) -> int:
        return len(self.nearby) + len(self.others)


def pickup_points_near(home: Branch | None, *, nearby: int = NEARBY_PICKUP_POINTS) -> PickupChoices:
    """Return every pickup point, ordered for a patron whose home branch is ``home`` (one query).

    Nearby: ``home`` itself, then the ``nearby`` pickup points closest to it by coordinates (or
    of its district when it has none); then all the others in Thai order. ``home`` may be closed
    or not a pickup point (a mobile unit): its neighbours still come first.
    """
    points = sorted(pickup_points().select_related("district"), key=lambda b: sort_key(b.name_th))
    if home is None:
        return PickupChoices(home=None, nearby=[], others=points)
    by_id = {b.pk: b for b in points}
    origin = _place(home)
    close = rules.nearest(origin, (_place(b) for b in points), limit=nearby)
    first = [by_id[home.pk]] if home.pk in by_id else []
    first += [by_id[pk] for pk, _km in close]
    taken = {b.pk for b in first}
    return PickupChoices(home=home, nearby=first, others=[b for b in points if b.pk not in taken],
                         distances={pk: km for pk, km in close if km is not None})


def _place(branch: Branch) -> rules.Place:
    return rules.Place(
        id=branch.pk, district_id=branch.district_id,
        lat=float(branch.latitude) if branch.latitude is not None else None,
        lng=float(branch.longitude) if branch.longitude is not None else None,
    )
