"""What the reports app knows about a branch for its fact sheet (core/branchfacts.py): this fiscal year's
stored figures against the same months of the year before."""
from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from bkklib.core.branchfacts import Fact, Section
from bkklib.core.calendar import fiscal_year
from bkklib.core.indicators import RATIO

from . import queries, rules
from .document import fmt

SECTIONS = ["bkklib.reports.branchfacts.figures"]


def figures(branch, *, today: date) -> Section | None:
    fy = fiscal_year(today)
    flt = queries.Filter(fy, 1, rules.fiscal_month_index(today), branch_id=branch.pk)
    cube = queries.cube(flt)
    before = queries.cube(flt.previous())
    facts = []
    for ind in cube.catalogue.values():
        if ind.kind == RATIO or ind.key == "circulation.loans_by_kind":
            continue
        now_v, then_v = cube.value(ind.key), before.value(ind.key)
        if not now_v and not then_v:
            continue
        change = rules.change(now_v, then_v)
        note = _("previous year {value}").format(value=fmt(then_v)) + (f" ({change:+}%)" if change is not None else "")
        facts.append(Fact(str(ind.name), f"{fmt(now_v)} {ind.unit}", note=note))
    latest = queries.latest_run()
    return Section(key="reports.figures", title=_("Figures of fiscal year {fy} so far").format(fy=fy), facts=facts,
                   as_of=latest.last_day if latest else None, order=10, empty_text=_("No figures stored yet."))
