"""The one way figures are stored: the aggregation of days (nightly, or a rebuild of a past period).

Each indicator's figures come from the owning app's own query (``Indicator.compute``); this module only
stores them. One day is one transaction: the day's rows of every indicator are replaced together and the
months it touches are rebuilt from the stored days, so a page never sees half a day. An indicator whose
query fails keeps its earlier rows and is named in the run's ``errors``; the others are stored.
"""
from __future__ import annotations

import logging
import time
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from bkklib.core.calendar import fiscal_year
from bkklib.core.indicators import RATIO, STOCK, Indicator, registry

from . import rules
from .exceptions import BadPeriod, FuturePeriod, PeriodTooLong, ReasonRequired
from .models import AggregationRun, DailyFigure, MonthlyFigure, dims_key

log = logging.getLogger(__name__)


def _stored(indicators: list[Indicator]) -> list[Indicator]:
    return [i for i in indicators if i.kind != RATIO]


def store_day(day: date, indicators: list[Indicator] | None = None) -> tuple[int, list[dict]]:
    """Replace the stored figures of ``day`` for ``indicators`` (all by default); return (rows, errors)."""
    rows, errors = 0, []
    with transaction.atomic():
        for indicator in _stored(indicators if indicators is not None else registry()):
            try:
                with transaction.atomic():
                    figures = indicator.compute(day)
                    merged: dict[tuple, Decimal] = {}
                    for f in figures:
                        key = (f.branch_id, dims_key(f.dims))
                        merged[key] = merged.get(key, Decimal(0)) + Decimal(str(f.value))
                    DailyFigure.objects.filter(indicator=indicator.key, day=day).delete()
                    DailyFigure.objects.bulk_create([
                        DailyFigure(indicator=indicator.key, day=day, branch_id=branch, dims=dims, value=value)
                        for (branch, dims), value in merged.items() if value])
                    rows += sum(1 for v in merged.values() if v)
            except Exception as exc:  # one app's failing query must not stop the others
                log.exception("indicator %s failed for %s", indicator.key, day)
                errors.append({"indicator": indicator.key, "day": day.isoformat(), "error": str(exc)[:200]})
    return rows, errors


def store_month(month: date, indicators: list[Indicator] | None = None) -> int:
    """Rebuild the monthly figures of ``month`` from the stored days (flow: sum; stock: the last day)."""
    first, last = rules.month_start(month), rules.month_end(month)
    fy = fiscal_year(first)
    made = 0
    with transaction.atomic():
        for indicator in _stored(indicators if indicators is not None else registry()):
            days = DailyFigure.objects.filter(indicator=indicator.key, day__gte=first, day__lte=last)
            if indicator.kind == STOCK:
                latest = days.aggregate(d=Max("day"))["d"]
                days = days.filter(day=latest) if latest else days.none()
            sums = days.values("branch_id", "dims").annotate(v=Sum("value")).order_by()
            MonthlyFigure.objects.filter(indicator=indicator.key, month=first).delete()
            objs = [MonthlyFigure(indicator=indicator.key, month=first, fiscal_year=fy, branch_id=r["branch_id"],
                                  dims=r["dims"], value=r["v"]) for r in sums]
            MonthlyFigure.objects.bulk_create(objs)
            made += len(objs)
    return made


def aggregate(first: date, last: date, *, trigger: str = AggregationRun.Trigger.NIGHTLY, user=None, reason: str = "",
              indicators: list[Indicator] | None = None) -> AggregationRun:
    """Store every day of ``first`` .. ``last`` and rebuild the months they touch; log the run."""
    started = time.monotonic()
    run = AggregationRun.objects.create(trigger=trigger, first_day=first, last_day=last, requested_by=user,
                                        reason=reason[:200])
    rows, errors = 0, []
    chosen = indicators if indicators is not None else registry()
    for day in rules.days(first, last):
        n, failed = store_day(day, chosen)
        rows += n
        errors.extend(failed)
    for month in rules.months(first, last):
        store_month(month, chosen)
    run.rows, run.errors = rows, errors
    run.seconds = round(time.monotonic() - started, 3)
    run.finished_at = timezone.now()
    run.save(update_fields=["rows", "errors", "seconds", "finished_at", "updated_at"])
    return run


def nightly(today: date | None = None) -> AggregationRun:
    """The nightly pass: yesterday, Bangkok time."""
    today = today or timezone.localdate()
    yesterday = date.fromordinal(today.toordinal() - 1)
    return aggregate(yesterday, yesterday)


def check_rebuild(first: date, last: date, reason: str, *, today: date | None = None) -> None:
    """Refuse a rebuild of an impossible period (raises a Thai InvalidInput subclass)."""
    today = today or timezone.localdate()
    if first > last:
        raise BadPeriod(field="first_day")
    if last >= today:
        from bkklib.core.calendar import thai_date

        raise FuturePeriod(field="last_day", today=thai_date(today))
    if (last - first).days + 1 > rules.MAX_REBUILD_DAYS:
        raise PeriodTooLong(field="first_day", limit=rules.MAX_REBUILD_DAYS)
    if not reason.strip():
        raise ReasonRequired(field="reason")


def rebuild(first: date, last: date, *, user, reason: str, today: date | None = None) -> AggregationRun:
    """Recount a past period on demand (after a correction, a late import, a new indicator)."""
    check_rebuild(first, last, reason, today=today)
    return aggregate(first, last, trigger=AggregationRun.Trigger.REBUILD, user=user, reason=reason.strip())
