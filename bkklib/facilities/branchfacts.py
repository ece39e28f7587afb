"""Facts about a branch's buildings and grounds for fact sheets and field-visit packs (core/branchfacts.py):
the UD score and top gaps, works in progress, trees."""
from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from bkklib.core.branchfacts import Fact, Section
from bkklib.core.calendar import thai_date

from . import queries
from .models import Building, TreeSite, Work

SECTIONS = [
    "bkklib.facilities.branchfacts.universal_design",
    "bkklib.facilities.branchfacts.works_in_progress",
    "bkklib.facilities.branchfacts.trees",
]


def universal_design(branch, *, today: date) -> Section | None:
    """Each building's latest completed UD audit: score, number of gaps and the first three."""
    rows = queries.ud_by_branch(Building.objects.filter(branch=branch).select_related("branch"))
    if not rows:
        return None
    facts, as_of = [], None
    for row in rows:
        if row.audit is None:
            facts.append(Fact(row.building.name_th, _("not audited yet"), warning=True))
            continue
        as_of = max(as_of, row.audit.audited_on) if as_of else row.audit.audited_on
        score = f"{row.score}%" if row.score is not None else "—"
        facts.append(Fact(row.building.name_th, _("UD score {score}, {gaps} gaps").format(score=score,
                                                                                          gaps=row.gap_count),
                          note=_("audit of {day}").format(day=thai_date(row.audit.audited_on)),
                          warning=row.gap_count > 0))
        if row.top_gaps:
            facts.append(Fact(_("Top gaps"), ", ".join(row.top_gaps)))
    return Section("facilities.universal_design", _("Universal Design"), facts=facts, as_of=as_of, order=10)


def works_in_progress(branch, *, today: date) -> Section | None:
    rows = (Work.objects.filter(branch=branch, status__in=queries.OPEN_WORK_STATUSES)
            .order_by("status", "-created_at")[:20])
    if not Work.objects.filter(branch=branch).exists():
        return None
    return Section("facilities.works", _("Improvement works in progress"),
                   columns=[_("Work"), _("Status"), _("Fiscal year"), _("Budget (baht)")],
                   rows=[[w.title, w.get_status_display(), str(w.fiscal_year or "—"),
                          f"{w.budget:,.2f}" if w.budget else "—"] for w in rows],
                   empty_text=_("No works in progress."), order=20)


def trees(branch, *, today: date) -> Section | None:
    site_rows = TreeSite.objects.filter(branch=branch)
    if not site_rows.exists():
        return None
    _districts, totals, _sites = queries.tree_roll_up(site_rows)
    facts = [Fact(_("Planting sites"), f"{totals.sites:,} ({totals.area_m2:,} m²)"),
             Fact(_("Green walls"), f"{totals.wall_m2:,} m²"),
             Fact(_("Trees planned"), f"{totals.planned:,}"), Fact(_("Trees planted"), f"{totals.planted:,}"),
             Fact(_("Trees surviving"), f"{totals.surviving:,}",
                  note=f"{totals.survival_pct}%" if totals.survival_pct is not None else "")]
    return Section("facilities.trees", _("Trees and green space"), facts=facts, order=30)
