"""The facilities report: UD score per branch with its top gaps, works per fiscal year and status, trees
per district; the same figures as a page, an XLSX (core.xlsx) and a PDF (core.pdf)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from bkklib.core.calendar import thai_date
from bkklib.core.pdf import Document
from bkklib.core.xlsx import Sheet

from . import queries, rules
from .models import Work


@dataclass
class Report:
    ud: list
    works: list  # (fiscal year, {status: count}, budget)
    statuses: list  # (code, label)
    districts: list
    network: rules.TreeTotals
    target: int
    share: object


def build(user) -> Report:
    districts, network, _per_site = queries.tree_roll_up(queries.sites(user, "facilities.view_facilities_report"))
    return Report(
        ud=queries.ud_by_branch(queries.buildings(user, "facilities.view_facilities_report")),
        works=queries.works_by_year_and_status(queries.works(user, "facilities.view_facilities_report")),
        statuses=list(Work.Status.choices), districts=districts, network=network,
        target=rules.CITY_TREE_TARGET, share=rules.target_share(network.surviving))


def _year(y) -> str:
    return str(y) if y is not None else _("not budgeted yet")


def sheets(report: Report) -> list[Sheet]:
    ud = Sheet(_("UD score"), [_("Branch"), _("Building"), _("Audit date"), _("UD score (%)"), _("Gaps"),
                               _("Top gaps")],
               [[r.branch.name_th, r.building.name_th, r.audit.audited_on if r.audit else None,
                 float(r.score) if r.score is not None else None, r.gap_count, ", ".join(r.top_gaps)]
                for r in report.ud],
               notes=[_("Score: compliant items as a share of applicable items of the latest completed audit.")])
    works = Sheet(_("Works"), [_("Fiscal year"), *[str(label) for _c, label in report.statuses], _("Budget (baht)")],
                  [[_year(y), *[counts.get(code, 0) for code, _l in report.statuses], float(money)]
                   for y, counts, money in report.works])
    trees = Sheet(_("Trees"), [_("District"), _("Sites"), _("Area (m²)"), _("Green walls (m²)"), _("Planned"),
                               _("Planted"), _("Surviving")],
                  [[d.name_th, d.totals.sites, float(d.totals.area_m2), float(d.totals.wall_m2), d.totals.planned,
                    d.totals.planted, d.totals.surviving] for d in report.districts],
                  totals=[_("Network"), report.network.sites, float(report.network.area_m2),
                          float(report.network.wall_m2), report.network.planned, report.network.planted,
                          report.network.surviving],
                  notes=[_("City target: {target} trees; the network's surviving trees are {share}% of it.").format(
                      target=f"{report.target:,}", share=report.share)])
    return [ud, works, trees]


def pdf(report: Report, *, title: str) -> bytes:
    doc = Document(title=title)
    doc.heading(title)
    for sheet in sheets(report):
        doc.heading(sheet.title, size=13)
        for note in sheet.notes:
            doc.paragraph(note, size=9)
        rows = list(sheet.rows) + ([sheet.totals] if sheet.totals else [])
        if not rows:
            doc.paragraph(_("No data."), size=10)
        for row in rows:
            cells = [f"{h}: {thai_date(v) if isinstance(v, date) else v}"
                     for h, v in zip(sheet.headers, row, strict=False) if v not in (None, "")]
            doc.paragraph(" · ".join(cells), size=10, space_after=0.2)
        doc.space(8)
    return doc.finish()
