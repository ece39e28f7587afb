"""Reading the stored figures: one query loads the monthly cells of a filter (indicator × month × branch,
dimensions summed) and the dashboard, the reports, the open data and the API cut them in Python.

Nothing here reads another app's tables; branches, their kind and district come from the network app.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from bkklib.core.indicators import RATIO, STOCK, Indicator, registry
from bkklib.network.models import Branch

from . import rules
from .models import MonthlyFigure, parse_dims


@dataclass(frozen=True)
class BranchInfo:
    id: int
    code: str
    name_th: str
    kind: str
    district: str


@dataclass(frozen=True)
class Filter:
    """What the dashboard is looking at: a fiscal year, a range of its months (1 = October), kind, district."""

    fiscal_year: int
    first_month: int = 1
    last_month: int = 12
    branch_kind: str = ""
    district: str = ""
    branch_id: int | None = None

    @property
    def months(self) -> list[date]:
        return rules.fiscal_months(self.fiscal_year)[self.first_month - 1:self.last_month]

    def previous(self) -> Filter:
        return Filter(self.fiscal_year - 1, self.first_month, self.last_month, self.branch_kind, self.district,
                      self.branch_id)

    @property
    def narrowed(self) -> bool:
        return bool(self.branch_kind or self.district or self.branch_id)


def indicators() -> dict[str, Indicator]:
    return {i.key: i for i in registry()}


def branches() -> dict[int, BranchInfo]:
    return {b["id"]: BranchInfo(b["id"], b["code"], b["name_th"], b["kind"], b["district__code"])
            for b in Branch.objects.values("id", "code", "name_th", "kind", "district__code")}


@dataclass
class Cube:
    """Monthly cells ``(indicator, month, branch_id) -> value`` of one filter, with the branches they belong to."""

    filter: Filter
    cells: dict[tuple[str, date, int | None], Decimal] = field(default_factory=dict)
    branch_info: dict[int, BranchInfo] = field(default_factory=dict)
    catalogue: dict[str, Indicator] = field(default_factory=dict)
    by_indicator: dict[str, dict[tuple[date, int | None], Decimal]] = field(default_factory=dict)

    def __post_init__(self):
        for (key, month, branch_id), v in self.cells.items():
            self.by_indicator.setdefault(key, {})[(month, branch_id)] = v

    def value(self, key: str, *, months: Iterable[date] | None = None, branch_ids: set | None = None,
              by: str = "") -> Decimal | None | dict:
        """The figure of ``key`` over ``months`` (the filter's by default), summed over branches.

        ``by="branch" | "district" | "month"`` returns a mapping instead of one number.
        """
        indicator = self.catalogue[key]
        months = list(months if months is not None else self.filter.months)
        if indicator.kind == RATIO:
            num = self.value(indicator.numerator, months=months, branch_ids=branch_ids, by=by)
            den = self.value(indicator.denominator, months=months, branch_ids=branch_ids, by=by)
            if by:
                return {k: rules.ratio(num.get(k, 0), d) for k, d in den.items()}
            return rules.ratio(num, den)
        wanted = set(months)
        per: dict = defaultdict(lambda: defaultdict(Decimal))  # group -> month -> value
        for (month, branch_id), v in self.by_indicator.get(key, {}).items():
            if month not in wanted or (branch_ids is not None and branch_id not in branch_ids):
                continue
            if by == "branch":
                group = branch_id
            elif by == "district":
                info = self.branch_info.get(branch_id)
                if info is None:
                    continue
                group = info.district
            elif by == "month":
                group = month
            else:
                group = None
            per[group][month] += v
        if by == "month":
            return {m: per[m][m] for m in per}
        if indicator.kind == STOCK:
            # a stock at the end of the period: each group's value in the last month that has figures at all
            present = {m for (m, _b) in self.by_indicator.get(key, {}) if m in wanted}
            if not present:
                return {} if by else Decimal(0)
            last = max(present)
            out = {g: months_.get(last, Decimal(0)) for g, months_ in per.items()}
        else:
            out = {g: rules.total(months_.values()) for g, months_ in per.items()}
        if by:
            return out
        return out.get(None, Decimal(0))


def cube(flt: Filter, keys: Iterable[str] | None = None) -> Cube:
    """Load the monthly cells of ``flt`` (and nothing else) in one query."""
    catalogue = indicators()
    wanted = set(keys) if keys is not None else set(catalogue)
    for key in list(wanted):
        ind = catalogue.get(key)
        if ind and ind.kind == RATIO:
            wanted |= {ind.numerator, ind.denominator}
    months = flt.months
    rows = MonthlyFigure.objects.filter(indicator__in=wanted, month__gte=months[0], month__lte=months[-1])
    if flt.branch_id:
        rows = rows.filter(branch_id=flt.branch_id)
    elif flt.branch_kind or flt.district:
        rows = rows.filter(branch__isnull=False)
        if flt.branch_kind:
            rows = rows.filter(branch__kind=flt.branch_kind)
        if flt.district:
            rows = rows.filter(branch__district__code=flt.district)
    cells: dict = {}
    for r in rows.values("indicator", "month", "branch_id").annotate(v=Sum("value")).order_by():
        cells[(r["indicator"], r["month"], r["branch_id"])] = r["v"]
    return Cube(filter=flt, cells=cells, branch_info=branches(), catalogue=catalogue)


def by_dimension(key: str, flt: Filter, dimension: str) -> dict[str, Decimal]:
    """The figure of a flow indicator over ``flt`` cut by one of its extra dimensions (``age_group``...)."""
    months = flt.months
    rows = MonthlyFigure.objects.filter(indicator=key, month__gte=months[0], month__lte=months[-1])
    if flt.branch_id:
        rows = rows.filter(branch_id=flt.branch_id)
    if flt.branch_kind:
        rows = rows.filter(branch__kind=flt.branch_kind)
    if flt.district:
        rows = rows.filter(branch__district__code=flt.district)
    out: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows.values("dims").annotate(v=Sum("value")).order_by():
        out[parse_dims(r["dims"]).get(dimension, "")] += r["v"]
    return dict(sorted(out.items()))


def latest_run():
    from .models import AggregationRun

    return AggregationRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def subscriptions_due(month: date):
    """Active subscriptions not yet sent for ``month`` (the month just ended)."""
    from django.db.models import Q

    from .models import Subscription

    return (Subscription.objects.filter(active=True, user__is_active=True)
            .filter(Q(last_sent_month__isnull=True) | Q(last_sent_month__lt=month))
            .select_related("user", "branch").order_by("pk"))
