"""Casework on the staff home page and on the public site (core/menus.py, core/public.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem
from bkklib.core.public import PublicLink

ITEMS = [
    MenuItem(_("Cases and complaints"), "cases:staff-list", "cases.view_case",
             _("Requests, complaints, visit items and audit findings with their deadlines.")),
    MenuItem(_("Record a case"), "cases:staff-new", "cases.add_case",
             _("A request or complaint received by phone, walk-in, LINE or letter.")),
    MenuItem(_("Field visits"), "cases:staff-visits", "cases.view_visit",
             _("The governor's visits: briefing packs and 24-hour follow-up of action items.")),
    MenuItem(_("Internal-audit findings"), "cases:staff-audits", "cases.view_auditreport",
             _("Findings per fiscal year, due dates, evidence, report for the audit office.")),
    MenuItem(_("Service desk report"), "cases:staff-monthly", "cases.view_case_report",
             _("Monthly GECC figures: channels, categories, on-time rate, satisfaction, recurring causes.")),
    MenuItem(_("GECC evidence checklist"), "cases:staff-evidence", "cases.view_evidenceitem",
             _("Each point of the GECC assessment and what proves it.")),
]

TODOS = [
    TodoItem(_("Open cases"), "cases:staff-list", "bkklib.cases.queries.count_open", "cases.view_case",
             query="branch={branch}&state=open"),
    TodoItem(_("Overdue cases"), "cases:staff-list", "bkklib.cases.queries.count_overdue", "cases.view_case",
             query="branch={branch}&state=open&overdue=1"),
]

PUBLIC_LINKS = [PublicLink(_("Contact us"), "cases:contact", order=90)]
