"""What the executive dashboard shows for a filter: KPI tiles against the previous fiscal year, one
indicator's trend by month, its choropleth of the 50 districts, and a table by branch — all from the stored
monthly figures (two queries: this year's and last year's cells), never from another app's tables."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bkklib.core.calendar import fiscal_year
from bkklib.core.indicators import RATIO, Indicator
from bkklib.network import geo
from bkklib.network.models import Branch, District

from . import queries, rules
from .standard import MAIN, month_label


@dataclass
class Tile:
    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None

    @property
    def is_ratio(self) -> bool:
        return self.indicator.kind == RATIO

    @property
    def anchor(self) -> str:
        return self.indicator.key.replace(".", "-")


def _shown(indicator: Indicator, value):
    if value is None:
        return None
    if indicator.kind == RATIO:
        return (value * 100).quantize(Decimal("0.1"))
    # The same number on every engine: PostgreSQL's numeric sums carry the column's scale (5.00), SQLite's not.
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def build(flt: queries.Filter, chosen: str, *, today: date) -> dict:
    cube = queries.cube(flt)
    before = queries.cube(flt.previous())
    catalogue = cube.catalogue
    if chosen not in catalogue:
        chosen = next((k for k in MAIN if k in catalogue), next(iter(catalogue), ""))
    tiles = []
    for ind in catalogue.values():
        if ind.key == "circulation.loans_by_kind":
            continue
        now_v, then_v = _shown(ind, cube.value(ind.key)), _shown(ind, before.value(ind.key))
        tiles.append(Tile(ind, now_v, then_v, None if ind.kind == RATIO else rules.change(now_v, then_v)))
    context = {"tiles": tiles, "chosen": catalogue.get(chosen), "filter": flt}
    if not chosen:
        return context
    ind = catalogue[chosen]
    this_months = cube.value(chosen, by="month")
    last_months = before.value(chosen, by="month")
    peak = max([*this_months.values(), *last_months.values(), 0]) or 1
    trend = []
    for m in flt.months:
        prev = m.replace(year=m.year - 1)
        a, b = this_months.get(m), last_months.get(prev)
        trend.append({"label": month_label(m), "value": _shown(ind, a), "previous": _shown(ind, b),
                      "bar": round(float((a or 0) / peak) * 100) if ind.kind != RATIO else round(float(a or 0) * 100),
                      "bar_previous": round(float((b or 0) / peak) * 100) if ind.kind != RATIO
                      else round(float(b or 0) * 100)})
    by_district = cube.value(chosen, by="district")
    base = {"fy": flt.fiscal_year, "from": flt.first_month, "to": flt.last_month, "indicator": chosen}
    if flt.branch_kind:
        base["kind"] = flt.branch_kind
    here = reverse("reports:dashboard")
    links = {code: here + "?" + urlencode({**base, "district": code})
             for code in geo.boundaries()}
    unit = "%" if ind.kind == RATIO else str(ind.unit)
    svg = geo.district_map_svg({k: _shown(ind, v) for k, v in by_district.items()},
                               title=_("{name} · fiscal year {fy}").format(name=ind.name, fy=flt.fiscal_year),
                               legend_title=str(ind.name), unit=unit, links=links, lang=get_language() or "th")
    columns = [catalogue[k] for k in MAIN if k in catalogue]
    per_branch = {k.key: cube.value(k.key, by="branch") for k in columns}
    rows = []
    for info in sorted(cube.branch_info.values(), key=lambda b: b.code):
        if flt.branch_kind and info.kind != flt.branch_kind or flt.district and info.district != flt.district:
            continue
        values = [per_branch[k.key].get(info.id) for k in columns]
        if not any(values):
            continue
        rows.append({"branch": info, "values": values, "kind": Branch.Kind(info.kind).label})
    context.update({"trend": trend, "map_svg": svg, "columns": columns, "branch_rows": rows, "unit": unit,
                    "month_choices": [(i, month_label(m)) for i, m in enumerate(rules.fiscal_months(
                        flt.fiscal_year), 1)]})
    return context


def years(today: date) -> list[int]:
    current = fiscal_year(today)
    return list(range(current, current - 6, -1))


def cache_key(flt: queries.Filter, indicator: str, latest, today: date) -> str:
    """The cache key of the dashboard's body for a filter: it changes with each aggregation run (figures change
    only then), the language and the day (the current fiscal year's default months)."""
    return "reports:dashboard:" + hashlib.sha1("|".join(str(part) for part in (
        latest.pk if latest else 0, flt, indicator, get_language(), today)).encode(), usedforsecurity=False).hexdigest()


def body(flt: queries.Filter, indicator: str, latest, today: date) -> str:
    """The rendered body of the dashboard for a filter (tiles, trend, map, branches): built from the stored
    figures once, then kept as HTML until the next aggregation run, so a warm page renders only the layout."""
    key = cache_key(flt, indicator, latest, today)
    html = cache.get(key)
    if html is None:
        context = build(flt, indicator, today=today)
        context.update({"years": years(today), "kinds": Branch.Kind.choices, "latest": latest,
                        "districts": District.objects.order_by("code").values_list("code", "name_th")})
        html = render_to_string("reports/partials/dashboard_body.html", context)
        cache.set(key, html, 24 * 3600)
    return html


def warm(today: date) -> None:
    """Render the dashboard the director opens first (the current fiscal year, in Thai) after a run, so the
    morning's first page is already warm (a shared cache: Redis in production)."""
    from django.utils import translation

    with translation.override("th"):
        body(queries.Filter(fiscal_year(today), 1, rules.fiscal_month_index(today)), "", queries.latest_run(), today)
