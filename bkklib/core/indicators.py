"""Indicators: the one interface through which an app gives the dashboard its figures
(docs/architecture.md, Cross-cutting mechanisms; the reports app reads it).

Each app that owns data declares ``INDICATORS`` in its ``indicators`` module: a list of
``Indicator`` with a Thai name, a definition ("how this is counted"), a unit and the dimensions
it can be cut by, and the dotted path of a function ``(day: date) -> Iterable[Figure]`` that
counts one Bangkok day from the app's own tables. The dashboard stores those daily figures as
aggregates (nightly, or rebuilt for any past day) and never reads an app's tables itself.

Every figure is per branch (``branch_id``; ``None`` for what belongs to no branch, e.g. the
e-library) and per day; the reports app derives branch kind, district, month and fiscal year from
those two. Other dimensions (``age_group``, ``patron_category``, ``channel``...) travel in
``dims``. ``kind`` says how days add up over a period: ``flow`` (loans: the sum), ``stock``
(members: the last day's value), ``ratio`` (on-time rate: sum of ``numerator`` over sum of
``denominator``, two other indicators' keys).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

FLOW, STOCK, RATIO = "flow", "stock", "ratio"


@dataclass(frozen=True)
class Figure:
    """One number of one indicator for one day: ``value`` at ``branch_id`` with ``dims``."""

    value: int | float | Decimal
    branch_id: int | None = None
    dims: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, value, branch_id: int | None = None, **dims: str) -> Figure:
        return cls(value, branch_id, tuple(sorted((k, str(v)) for k, v in dims.items())))


@dataclass(frozen=True)
class Indicator:
    key: str  # "<app_label>.<name>", stable: stored aggregates and links use it
    name: str  # gettext_lazy; Thai by default
    definition: str  # how it is counted, for people (shown beside every figure)
    unit: str  # gettext_lazy: "loans", "people", "baht"...
    daily: str  # dotted path of ``(day: date) -> Iterable[Figure]``
    kind: str = FLOW
    dimensions: tuple[str, ...] = ()  # beyond branch and day
    numerator: str = ""  # ratio only: keys of two flow indicators
    denominator: str = ""
    public: bool = True  # may appear on the open-data page (small cells are suppressed there)
    app: str = field(default="", compare=False)

    def compute(self, day: date) -> list[Figure]:
        """Count ``day`` (a Bangkok calendar day) with the owning app's own query."""
        if self.kind == RATIO:
            return []
        function: Callable[[date], Iterable[Figure]] = import_string(self.daily)
        return list(function(day))


def registry() -> list[Indicator]:
    """Return every app's indicators, in app order (``INSTALLED_APPS``)."""
    found: list[Indicator] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            declared = import_string(f"{config.name}.indicators.INDICATORS")
        except ImportError:
            continue
        for indicator in declared:
            found.append(Indicator(**{**indicator.__dict__, "app": config.label}))
    return found


def by_key() -> dict[str, Indicator]:
    return {indicator.key: indicator for indicator in registry()}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the aware start and end (exclusive) of ``day`` in the site's time zone (Asia/Bangkok)."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(date.fromordinal(day.toordinal() + 1), time.min), tz)
    return start, end


def counts_by_branch(queryset, branch_field: str = "branch_id", **dims: str) -> list[Figure]:
    """Return one Figure per branch with the number of rows of ``queryset`` (the common case)."""
    from django.db.models import Count

    rows = queryset.values(branch_field).annotate(n=Count("pk")).order_by()
    return [Figure.of(row["n"], row[branch_field], **dims) for row in rows]
