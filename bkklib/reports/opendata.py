"""Open data: the network's published figures per indicator, month and branch, for the city's open-data portal.

Only indicators marked ``public`` are published, only from the stored monthly aggregates (no person is in them),
and small cells are withheld: a branch's count of 1 to 4 in a month is published as empty with
``suppressed`` true, and when a month has exactly one such cell the next smallest cell of that month is withheld
too, so the month's total cannot give the small one away.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

from django.db.models import Sum

from bkklib.core.indicators import RATIO, Indicator

from . import queries, rules
from .exceptions import UnknownIndicator
from .models import MonthlyFigure

FIELDS = ["indicator", "month", "fiscal_year", "branch_code", "branch_name", "branch_kind", "district_code", "value",
          "suppressed"]


def public_indicator(key: str) -> Indicator:
    indicator = queries.indicators().get(key)
    if indicator is None or not indicator.public or indicator.kind == RATIO:
        raise UnknownIndicator(key=key)
    return indicator


def rows(key: str, month: date | None = None) -> list[dict]:
    """The published rows of indicator ``key`` (every stored month, or one), one per month and branch."""
    public_indicator(key)
    stored = MonthlyFigure.objects.filter(indicator=key)
    if month is not None:
        stored = stored.filter(month=rules.month_start(month))
    cells = stored.values("month", "fiscal_year", "branch_id").annotate(v=Sum("value")).order_by("month", "branch_id")
    info = queries.branches()
    by_month: dict[date, list[dict]] = defaultdict(list)
    for cell in cells:
        b = info.get(cell["branch_id"])
        by_month[cell["month"]].append({
            "indicator": key, "month": f"{cell['month']:%Y-%m}", "fiscal_year": cell["fiscal_year"],
            "branch_code": b.code if b else "", "branch_name": b.name_th if b else "",
            "branch_kind": b.kind if b else "", "district_code": b.district if b else "",
            "value": rules.clean_number(cell["v"]), "suppressed": False})
    out = []
    for month_rows in by_month.values():
        small = [r for r in month_rows if rules.suppressed(r["value"])]
        if len(small) == 1:
            others = sorted((r for r in month_rows if not r["suppressed"] and r not in small and r["value"]),
                            key=lambda r: r["value"])
            small += others[:1]
        for r in small:
            r["value"], r["suppressed"] = None, True
        out.extend(month_rows)
    return out


def as_csv(data: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({**row, "value": "" if row["value"] is None else row["value"],
                         "suppressed": "true" if row["suppressed"] else "false"})
    return buffer.getvalue()


def headline(flt: queries.Filter) -> list[dict]:
    """The public indicators over ``flt`` against the same months of the year before (network totals)."""
    cube = queries.cube(flt)
    before = queries.cube(flt.previous())
    out = []
    for ind in cube.catalogue.values():
        if not ind.public or ind.kind == RATIO:
            continue
        now_v, then_v = cube.value(ind.key), before.value(ind.key)
        out.append({"indicator": ind, "value": now_v, "previous": then_v, "change": rules.change(now_v, then_v)})
    return out
