"""Read-side helpers of the public website: branch status for the directory, week hours, news."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.utils import timezone

from bkklib.catalog.models import Item, Record
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch, Closure, OpeningPeriod

from . import rules
from .models import NewsPost


@dataclass
class DayHours:
    """A branch's hours on one day: its open periods, or the closure that shuts it."""

    day: date
    periods: list[tuple[time, time]] = field(default_factory=list)
    closure: Closure | None = None

    @property
    def is_open_day(self) -> bool:
        return bool(self.periods) and self.closure is None


@dataclass
class BranchStatus:
    """What the directory shows about a branch at one moment."""

    branch: Branch
    today: DayHours
    is_open_now: bool
    closes_at: time | None = None
    opens_next_at: time | None = None  # later today
    distance_km: float | None = None


def _periods_by_branch(branch_ids) -> dict[int, dict[int, list[tuple[time, time]]]]:
    result: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    rows = OpeningPeriod.objects.filter(branch_id__in=branch_ids).values_list(
        "branch_id", "weekday", "opens_at", "closes_at"
    )
    for branch_id, weekday, opens_at, closes_at in rows.order_by("opens_at"):
        result[branch_id][weekday].append((opens_at, closes_at))
    return result


def _closures(branch_ids, start: date, end: date) -> list[Closure]:
    return list(
        Closure.objects.overlapping(start, end, branches=branch_ids).order_by("starts_on")
    )


def _closure_on(closures: list[Closure], branch_id: int, day: date) -> Closure | None:
    """Return the closure that shuts the branch on ``day``: its own before the network's (it says more)."""
    network_wide = None
    for closure in closures:
        if closure.covers(day):
            if closure.branch_id == branch_id:
                return closure
            if closure.branch_id is None and network_wide is None:
                network_wide = closure
    return network_wide


def branch_statuses(branches, when: datetime, *, near: tuple[float, float] | None = None) -> list[BranchStatus]:
    """Return each branch's status at ``when`` (three queries in all, whatever the number of branches).

    Whether a branch is open now is ``network.queries.open_status`` (the one home of that rule);
    this adds what the directory shows besides: the closure that shuts the day, when the current
    period closes and when the next one of the day opens.
    """
    branches = list(branches)
    local = timezone.localtime(when)
    day, moment = local.date(), local.time()
    prefetch_related_objects(branches, "opening_periods")
    states = network_queries.open_status(branches, local)
    closures = _closures([b.pk for b in branches], day, day)
    result = []
    for branch in branches:
        state = states[branch.pk]
        today_periods = sorted((p.opens_at, p.closes_at) for p in state.today_periods) \
            if branch.status == Branch.Status.OPEN else []
        hours = DayHours(day, today_periods, _closure_on(closures, branch.pk, day))
        status = BranchStatus(branch=branch, today=hours, is_open_now=state.is_open_now)
        if state.is_open_today:
            for opens_at, closes_at in hours.periods:
                if status.is_open_now and opens_at <= moment < closes_at:
                    status.closes_at = closes_at
                    break
                if moment < opens_at and status.opens_next_at is None:
                    status.opens_next_at = opens_at
        if near and branch.latitude is not None and branch.longitude is not None:
            status.distance_km = rules.distance_km(near[0], near[1], float(branch.latitude), float(branch.longitude))
        result.append(status)
    return result


def week_hours(branch: Branch, start: date, days: int = 7) -> list[DayHours]:
    """Return the branch's hours for ``days`` days from ``start``, closures included."""
    end = start + timedelta(days=days - 1)
    periods = _periods_by_branch([branch.pk])[branch.pk]
    closures = _closures([branch.pk], start, end)
    week = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        day_periods = list(periods[day.weekday()]) if branch.status == Branch.Status.OPEN else []
        week.append(DayHours(day, day_periods, _closure_on(closures, branch.pk, day)))
    return week


def regular_hours(branch: Branch) -> list[tuple[int, list[tuple[time, time]]]]:
    """Return the weekly timetable: (weekday, periods) for Monday..Sunday (empty list = closed)."""
    periods = _periods_by_branch([branch.pk])[branch.pk]
    return [(weekday, list(periods[weekday])) for weekday in range(7)]


def closures_ahead(branch: Branch, start: date, days: int = 120) -> list[Closure]:
    """Return the closures (network-wide and the branch's own) from ``start`` for ``days`` days."""
    return network_queries.closures_for(branch, start, start + timedelta(days=days))


def network_closures(start: date, days: int = 7) -> list[Closure]:
    """Return the closures of the whole network (public holidays) that cover ``start`` or begin within ``days``."""
    return list(Closure.objects.overlapping(start, start + timedelta(days=days)).filter(branch__isnull=True)
                .order_by("starts_on", "pk"))


def public_branches() -> QuerySet[Branch]:
    """Return the branches the public directory lists (everything but offices)."""
    return (
        Branch.objects.exclude(kind=Branch.Kind.OFFICE)
        .select_related("district")
        .prefetch_related("services")
    )


NEW_ARRIVALS_CACHE_KEY = "opac:new-arrivals:v2"  # v2: the year as published (display_year)


def new_arrivals(limit: int = 6, *, cache_seconds: int = 300) -> list[dict]:
    """Return the newest catalogued records that have a copy on a shelf (cached five minutes).

    The home page must be fast: one indexed query on the record's primary key, then cached.
    """
    arrivals = cache.get(NEW_ARRIVALS_CACHE_KEY)
    if arrivals is None:
        on_shelf = Item.objects.filter(record=OuterRef("pk"), status=Item.Status.AVAILABLE)
        records = (
            Record.objects.filter(Exists(on_shelf)).order_by("-pk").only("pk", "title", "authors", "display_year")[:limit]
        )
        arrivals = [{"pk": r.pk, "title": r.title, "author": "; ".join(r.authors[:2]),
                     "year": r.display_year} for r in records]
        cache.set(NEW_ARRIVALS_CACHE_KEY, arrivals, cache_seconds)
    return arrivals


def visible_news(now: datetime) -> QuerySet[NewsPost]:
    """Return the news posts the public may read at ``now``, newest first."""
    return NewsPost.objects.visible(now).select_related("branch").order_by("-publish_at", "-pk")
