"""The briefing pack of a field visit: one branch's live data on A4 in Thai.

Every app's facts about the branch (``core.branchfacts``: basic data and its freshness, hours, staff,
collection, circulation, open cases, UD gaps and works...) printed by ``core.factsheet``, under the
visit's title and the moment the data was read.
"""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import factsheet
from bkklib.core.calendar import thai_date, thai_datetime
from bkklib.network.models import Branch


def briefing_pdf(branch: Branch, *, visit=None, now: datetime | None = None) -> bytes:
    """Return the briefing pack of ``branch`` as PDF bytes, from the data of this moment."""
    now = timezone.localtime(now or timezone.now())
    lines = []
    if visit is not None:
        lines.append(f"{visit.title} · {thai_date(visit.visited_on, long=True)} · {visit.visitors}")
    lines.append(_("Data as of %(when)s") % {"when": thai_datetime(now)})
    return factsheet.render_pdf(branch, today=now.date(), title=_("Briefing pack for the field visit"), lines=lines)
