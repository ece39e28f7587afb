"""A branch's fact sheet: every app's ``core.branchfacts`` sections on a page and in a PDF.

Two documents print it: the field-visit briefing pack (cases) and the branch fact sheet of the
reports app. The page includes ``core/partials/branchfacts.html`` with ``sections``; the PDF is
``render_pdf(branch, today=...)``. Both print the same text (values are formatted by the apps), so
what a reader sees on screen is what the printed pack says.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import pdf
from .branchfacts import Section, sections
from .calendar import thai_date, thai_datetime

LABEL_SHARE = 0.45  # the label column's share of the page width


def as_of_text(value: date | datetime | None) -> str:
    if value is None:
        return ""
    lang = "en" if (get_language() or "th").startswith("en") else "th"
    when = (thai_datetime(timezone.localtime(value), lang=lang) if isinstance(value, datetime)
            else thai_date(value, lang=lang))
    return _("as of %(when)s") % {"when": when}


def _facts(doc: pdf.Document, section: Section) -> None:
    label_width = doc.width * LABEL_SHARE
    value_width = doc.width - label_width
    size = 10.5
    metrics = pdf.line_metrics(pdf.REGULAR, size)
    for fact in section.facts:  # a warning (stale data, overdue items) is printed in bold
        value = f"{fact.value} ({fact.note})" if fact.note else fact.value
        labels = pdf.break_lines(fact.label, pdf.REGULAR, size, label_width - 6) or [""]
        values = pdf.break_lines(value, pdf.REGULAR, size, value_width) or [""]
        rows = max(len(labels), len(values))
        doc.need(metrics.ascent + metrics.descent + (rows - 1) * metrics.leading)
        baseline = doc.y - metrics.ascent
        for number, line in enumerate(labels):
            pdf.draw_text(doc.canvas, doc.margin, baseline - number * metrics.leading, line, size=size,
                          width=label_width - 6)
        for number, line in enumerate(values):
            pdf.draw_text(doc.canvas, doc.margin + label_width, baseline - number * metrics.leading, line,
                          font=pdf.BOLD if fact.warning else pdf.REGULAR, size=size, width=value_width)
        doc.y -= rows * metrics.leading


def _table(doc: pdf.Document, section: Section) -> None:
    columns = len(section.columns) or max((len(row) for row in section.rows), default=1)
    width = doc.width / columns
    size = 10
    metrics = pdf.line_metrics(pdf.REGULAR, size)
    rows: list[tuple[str, Sequence[str]]] = []
    if section.columns:
        rows.append((pdf.BOLD, section.columns))
    rows += [(pdf.REGULAR, row) for row in section.rows]
    for font, row in rows:
        doc.need(metrics.ascent + metrics.descent)
        baseline = doc.y - metrics.ascent
        for number, cell in enumerate(row):
            pdf.draw_text(doc.canvas, doc.margin + number * width, baseline, str(cell), font=font, size=size,
                          width=width - 4)
        doc.y -= metrics.leading


def render_pdf(branch, *, today: date, title: str = "", lines: Sequence[str] = (),
               found: Sequence[Section] | None = None) -> bytes:
    """The fact sheet of ``branch`` on ``today`` as PDF bytes: ``lines`` printed under the branch's name
    (e.g. the visit), ``found`` the sections if already gathered."""
    found = sections(branch, today=today) if found is None else found
    title = title or _("Branch fact sheet")
    doc = pdf.Document(title=f"{title}: {branch.name_th}")
    doc.heading(title)
    doc.heading(branch.name_th, size=14)
    for line in lines:
        doc.paragraph(line, size=10, space_after=0.2)
    lang = "en" if (get_language() or "th").startswith("en") else "th"
    doc.paragraph(_("Printed on %(date)s from the live data of bkklib.") % {"date": thai_date(today, lang=lang)},
                  size=10)
    for section in found:
        doc.need(60)
        doc.heading(section.title, size=13)
        if section.as_of:
            doc.paragraph(as_of_text(section.as_of), size=9, space_after=0.2)
        if not section.facts and not section.rows:
            doc.paragraph(section.empty_text or _("Nothing to report."), size=10)
        _facts(doc, section)
        if section.rows:
            doc.space(4)
            _table(doc, section)
        doc.space(8)
    return doc.finish()
