"""Read-side questions about staff coverage: open days of many branches, the roster, the coverage report."""
from dataclasses import dataclass
from datetime import date, timedelta

from .. import rules
from ..coverage_providers import on_duty
from ..models import Assignment, Branch, Closure, OpeningPeriod, StaffingLevel


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
    # Others on duty that higher apps report (volunteer shifts the division counts): coverage_providers.
    for (branch_id, day), people in on_duty(start, end, ids if branches is not None else None).items():
        if day in working:
            working[day].setdefault(branch_id, set()).update(people)
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
