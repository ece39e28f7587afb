"""The public open-data page /open-data/ and the CSV/JSON download of each indicator (all months or one)."""
from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_page

from bkklib.core.calendar import fiscal_year

from .. import opendata, queries, rules
from ..exceptions import UnknownIndicator


def index(request):
    today = timezone.localdate()
    fy = fiscal_year(today)
    flt = queries.Filter(fy, 1, rules.fiscal_month_index(today))
    return render(request, "reports/public/open_data.html", {
        "fy": fy, "figures": opendata.headline(flt), "months": rules.fiscal_months(fy)[:flt.last_month],
        "latest": queries.latest_run()})


def _month(request) -> date | None:
    value = request.GET.get("month", "")
    if not value:
        return None
    try:
        return date.fromisoformat(value + "-01")
    except ValueError:
        raise Http404 from None


@cache_page(600)
def download(request, key: str, fmt: str):
    try:
        data = opendata.rows(key, _month(request))
    except UnknownIndicator:
        raise Http404 from None
    month = request.GET.get("month", "")
    name = f"{key}{'-' + month if month else ''}"
    if fmt == "json":
        indicator = opendata.public_indicator(key)
        response = JsonResponse({"indicator": key, "name": str(indicator.name), "definition": str(indicator.definition),
                                 "unit": str(indicator.unit), "kind": indicator.kind,
                                 "suppression": {"min_published": rules.SMALL_CELL}, "rows": data},
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse("\ufeff" + opendata.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
