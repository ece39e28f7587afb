"""What casework knows about a branch, for the briefing pack and the branch fact sheet
(core/branchfacts.py): its open cases with their due dates."""
from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bkklib.core.branchfacts import Section
from bkklib.core.calendar import thai_date

from .models import Case
from .queries import open_cases_at

SECTIONS = ["bkklib.cases.branchfacts.open_cases"]


def open_cases(branch, *, today: date) -> Section:
    cases = open_cases_at(branch)
    now = timezone.now()
    rows = [(case.code, str(Case.Kind(case.kind).label), case.title, str(Case.State(case.state).label),
             thai_date(timezone.localtime(case.resolution_due_at))
             + (" " + _("(overdue)") if case.resolution_due_at < now else ""))
            for case in cases]
    return Section(key="cases.open", title=_("Open cases"), columns=(_("Code"), _("Kind"), pgettext("case", "Subject"),
                                                                       _("Status"), pgettext("case", "Due")),
                   rows=rows, as_of=now, empty_text=_("No open cases."))
