"""Printed and spreadsheet reports of casework: a visit's follow-up report, the audit office's report
(PDF and XLSX) and the monthly GECC report (XLSX)."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bkklib.core.calendar import fiscal_year, thai_date, thai_datetime
from bkklib.core.pdf import BOLD, Document
from bkklib.core.xlsx import Sheet

from . import queries
from .models import AuditReport, Case, Visit


def _due(case: Case) -> str:
    return thai_date(timezone.localtime(case.resolution_due_at))


def visit_report_pdf(visit: Visit) -> bytes:
    """Follow-up of a field visit for the executives: every item, its branch, status and first report."""
    now = timezone.localtime()
    doc = Document(title=visit.title)
    doc.heading(_("Follow-up of the field visit"))
    doc.paragraph(f"{visit.title} · {thai_date(visit.visited_on, long=True)} · {visit.visitors}")
    doc.paragraph(_("Status as of %(when)s") % {"when": thai_datetime(now)}, size=9)
    for number, item in enumerate(visit.items.select_related("branch").order_by("pk"), start=1):
        doc.paragraph(f"{number}. {item.title} ({item.branch.name_th if item.branch else '—'})", font=BOLD)
        reported = (thai_datetime(timezone.localtime(item.responded_at)) if item.responded_at
                    else _("not yet reported"))
        doc.paragraph(_("Status: %(state)s · first report: %(reported)s (due %(due)s)") % {
            "state": Case.State(item.state).label, "reported": reported,
            "due": thai_datetime(timezone.localtime(item.response_due_at))}, size=10)
        last = item.comments.filter(is_public=True).order_by("-created_at").first()
        if last:
            doc.paragraph(last.body, size=10)
    return doc.finish()


def audit_report_pdf(report: AuditReport) -> bytes:
    doc = Document(title=report.title)
    doc.heading(_("Follow-up of internal-audit findings"))
    doc.paragraph(_("Fiscal year %(year)s · %(title)s · %(auditor)s") % {
        "year": report.fiscal_year, "title": report.title, "auditor": report.auditor})
    now = timezone.now()
    for number, finding in enumerate(queries.findings(report), start=1):
        doc.paragraph(f"{number}. {finding.title}", font=BOLD)
        overdue = finding.is_open and finding.resolution_due_at < now
        lines = [
            _("Risk: %(risk)s") % {"risk": Case.Risk(finding.risk).label if finding.risk else "—"},
            _("Recommendation: %(text)s") % {"text": finding.recommendation or "—"},
            _("Agreed action: %(text)s") % {"text": finding.agreed_action or "—"},
            _("Owner: %(units)s") % {"units": ", ".join(u.name_th for u in finding.units.all()) or "—"},
            _("Due: %(due)s") % {"due": _due(finding)} + (" " + _("(overdue)") if overdue else ""),
            _("Status: %(state)s") % {"state": Case.State(finding.state).label},
            _("Evidence files: %(count)s") % {"count": len(finding.attachments.all())},
        ]
        for line in lines:
            doc.paragraph(line, size=10, space_after=0.1)
    return doc.finish()


def audit_sheets(report: AuditReport) -> list[Sheet]:
    now = timezone.now()
    rows = [[f.code, f.title, Case.Risk(f.risk).label if f.risk else "", f.recommendation, f.agreed_action,
             ", ".join(u.name_th for u in f.units.all()), _due(f), str(Case.State(f.state).label),
             _("yes") if f.is_open and f.resolution_due_at < now else "", len(f.attachments.all())]
            for f in queries.findings(report)]
    return [Sheet(title=_("Findings"), headers=[_("Code"), _("Finding"), _("Risk"), _("Recommendation"),
                                                  _("Agreed action"), _("Owner unit"), pgettext("case", "Due"), _("Status"),
                                                  _("Overdue"), _("Evidence files")], rows=rows,
                  notes=[f"{report.title} · {_('fiscal year')} {report.fiscal_year}"])]


def monthly_sheets(report: queries.MonthlyReport) -> list[Sheet]:
    summary = [[_("Cases filed"), report.total], [_("Finished"), report.finished],
               [_("Finished on time"), report.on_time],
               [_("On-time rate (%)"), report.on_time_rate if report.on_time_rate is not None else ""],
               [_("Rated"), report.rated],
               [_("Average satisfaction (1–5)"), report.average_rating if report.average_rating is not None else ""]]
    cases = [[c.code, thai_date(timezone.localtime(c.filed_at)), str(Case.Kind(c.kind).label),
              str(Case.Channel(c.channel).label), c.category.name_th if c.category else "",
              c.branch.name_th if c.branch else "", str(Case.State(c.state).label), c.rating or "", c.root_cause]
             for c in report.cases]
    return [
        Sheet(title=_("Summary"), headers=[_("Measure"), _("Value")], rows=summary,
              notes=[_("Month: %(month)s; fiscal year %(fy)s") % {"month": thai_date(report.month),
                                                                  "fy": fiscal_year(report.month)}]),
        Sheet(title=_("By channel"), headers=[_("Channel"), _("Cases")], rows=[list(p) for p in report.by_channel]),
        Sheet(title=_("By category"), headers=[pgettext("case", "Category"), _("Cases")],
              rows=[list(p) for p in report.by_category]),
        Sheet(title=_("Root causes"), headers=[_("Root cause"), _("Cases")], rows=[list(p) for p in report.causes]),
        Sheet(title=_("Cases"), headers=[_("Code"), _("Filed"), _("Kind"), _("Channel"), pgettext("case", "Category"),
                                         _("Branch"), _("Status"), _("Satisfaction"), _("Root cause")], rows=cases),
    ]
