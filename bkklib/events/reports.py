"""Reports of the events app: each project of a fiscal year, target against actual; each festival month by branch.

One computation feeds the page, the XLSX and the PDF, so the three always show the same figures.
How it is counted: an *activity held* is a session that was not cancelled and has started; a
*participant* is a checked-in registration or a counted walk-in, by age group.
"""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import pdf, xlsx
from bkklib.core.calendar import fiscal_year_bounds, thai_date

from . import queries, rules
from .models import AgeGroup, Festival, Project, Session


@dataclass
class GroupLine:
    group: str
    label: str
    target: int
    actual: int

    @property
    def percent(self):
        return rules.percent(self.actual, self.target)


@dataclass
class ProjectReport:
    project: Project
    held: int
    groups: list[GroupLine]
    festivals: list[str]
    branches: list[str]
    by_gender: dict = field(default_factory=dict)

    @property
    def activities_percent(self):
        return rules.percent(self.held, self.project.target_activities)

    @property
    def target_total(self) -> int:
        return sum(g.target for g in self.groups)

    @property
    def actual_total(self) -> int:
        return sum(g.actual for g in self.groups)


def project_report(project: Project, *, now: datetime | None = None) -> ProjectReport:
    now = now or timezone.now()
    start, end = fiscal_year_bounds(project.fiscal_year)
    sessions = (queries.held_sessions(start=start, end=end, now=now).filter(activity__project=project)
                .select_related("activity__branch", "activity__festival"))
    counted = queries.attendance(sessions)
    targets = {t.age_group: t.participants for t in project.targets.all()}
    groups = [GroupLine(g, str(AgeGroup(g).label), targets.get(g, 0), counted["by_group"].get(g, 0))
              for g in rules.AGE_GROUPS]
    festivals = sorted({s.activity.festival.name_th for s in sessions if s.activity.festival_id})
    branches = sorted({s.activity.branch.name_th for s in sessions if s.activity.branch_id})
    return ProjectReport(project, len(sessions), groups, festivals, branches, counted["by_gender"])


def year_report(fiscal_year: int, *, now: datetime | None = None) -> list[ProjectReport]:
    return [project_report(p, now=now) for p in queries.projects_of_year(fiscal_year)]


@dataclass
class FestivalLine:
    festival: Festival
    rows: list[dict]  # branch, activities held, participants


def festival_months(fiscal_year: int, *, now: datetime | None = None) -> list[FestivalLine]:
    """For each festival month of the fiscal year, what each branch held in that month."""
    now = now or timezone.now()
    start, end = fiscal_year_bounds(fiscal_year)
    festivals = Festival.objects.filter(
        Q(year=start.year, month__gte=10) | Q(year=end.year, month__lte=9)).order_by("year", "month")
    lines = []
    for festival in festivals:
        month_start = festival.starts_on.replace(day=1)
        month_end = month_start.replace(day=monthrange(month_start.year, month_start.month)[1])
        sessions = queries.held_sessions(start=month_start, end=month_end, now=now).select_related("activity__branch")
        per_branch: dict[str, list[Session]] = {}
        for session in sessions:
            key = session.activity.branch.name_th if session.activity.branch_id else _("(no branch)")
            per_branch.setdefault(key, []).append(session)
        rows = []
        for name in sorted(per_branch):
            held = per_branch[name]
            matched = sum(1 for s in held if s.activity.festival_id == festival.pk)
            rows.append({"branch": name, "held": len(held), "matched": matched,
                         "participants": queries.attendance(held)["total"]})
        lines.append(FestivalLine(festival, rows))
    return lines


def _pct(value) -> str:
    return "–" if value is None else f"{value}%"


def xlsx_sheets(fiscal_year: int, reports: list[ProjectReport], months: list[FestivalLine]) -> list[xlsx.Sheet]:
    headers = [_("Project"), _("Budget (baht)"), _("Target: activities"), _("Activities held")]
    for group in rules.AGE_GROUPS:
        label = str(AgeGroup(group).label)
        headers += [_("Target: {group}").format(group=label), _("Actual: {group}").format(group=label)]
    headers += [_("Target: participants"), _("Participants"), _("Festivals covered"), _("Branches holding activities")]
    rows = []
    for r in reports:
        row = [r.project.name, r.project.budget, r.project.target_activities, r.held]
        for g in r.groups:
            row += [g.target, g.actual]
        row += [r.target_total, r.actual_total, len(r.festivals), len(r.branches)]
        rows.append(row)
    note = _("Fiscal year {fy}: activities held are sessions held; participants are check-ins and walk-ins.")
    festival_rows = [[f.festival.name_th, thai_date(f.festival.starts_on), row["branch"], row["held"], row["matched"],
                      row["participants"]] for f in months for row in f.rows]
    return [
        xlsx.Sheet(_("Projects"), headers, rows, notes=[note.format(fy=fiscal_year)]),
        xlsx.Sheet(_("Festival months"), [_("Festival"), _("Month"), _("Branch"), _("Activities held"),
                                          _("Matched to the festival"), _("Participants")], festival_rows),
    ]


def pdf_bytes(fiscal_year: int, reports: list[ProjectReport], months: list[FestivalLine]) -> bytes:
    """The report as a PDF (Thai shaped by core.pdf): one block per project, then the festival months."""
    title = _("Reading-promotion projects, fiscal year {fy}").format(fy=fiscal_year)
    doc = pdf.Document(title=title)
    doc.heading(title)
    doc.paragraph(_("Activities held are sessions held; participants are check-ins and walk-ins."), size=10)
    for r in reports:
        doc.heading(r.project.name, size=13)
        doc.paragraph(_("Budget {budget} baht").format(budget=f"{r.project.budget:,.2f}"))
        doc.paragraph(_("Activities held: {actual} of target {target} ({pct})").format(
            actual=r.held, target=r.project.target_activities, pct=_pct(r.activities_percent)))
        for g in r.groups:
            doc.paragraph(_("Participants, {group}: {actual} of target {target} ({pct})").format(
                group=g.label, actual=g.actual, target=g.target, pct=_pct(g.percent)), space_after=0.1)
        doc.paragraph(_("Participants in all: {actual} of target {target}").format(
            actual=r.actual_total, target=r.target_total))
        doc.paragraph(_("Festivals covered: {names}").format(names=", ".join(r.festivals) or "–"))
        doc.paragraph(_("Branches: {names}").format(names=", ".join(r.branches) or "–"))
    if months:
        doc.heading(_("Festival months"), size=13)
        for line in months:
            doc.paragraph(f"{line.festival.name_th} ({thai_date(line.festival.starts_on)})", space_after=0.1)
            for row in line.rows:
                doc.paragraph(_("{branch}: {held} activities, {participants} participants").format(**row),
                              space_after=0.1)
    return doc.finish()
