"""One standard report, three formats: a ``Report`` (facts and tables, values already chosen) is shown as a
page, written as an XLSX workbook (core/xlsx.py) and printed as a Thai-shaped PDF (core/pdf.py) from the
same cells, so the page, the sheet and the paper say the same thing."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from reportlab.lib.units import mm

from bkklib.core import pdf
from bkklib.core.calendar import thai_date
from bkklib.core.xlsx import Sheet, xlsx_response


def fmt(value) -> str:
    """A value as people read it, the same on the page and on paper: 1,234 · 12.5 · 30 ก.ย. 2569 · –."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "–"
    if isinstance(value, (int, Decimal, float)):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return f"{int(number):,}"
        return f"{number.quantize(Decimal('0.01')):,}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return thai_date(value)
    return str(value)


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence] = ()
    totals: Sequence | None = None
    numeric_from: int = 1  # columns from this index are right-aligned numbers
    empty_text: str = ""

    @property
    def shown_rows(self) -> list[list[str]]:
        return [[fmt(v) for v in row] for row in self.rows]

    @property
    def shown_totals(self) -> list[str] | None:
        return [fmt(v) for v in self.totals] if self.totals is not None else None


@dataclass
class Report:
    key: str
    title: str
    subtitle: str = ""
    facts: Sequence[tuple[str, object]] = ()
    tables: Sequence[Table] = ()
    notes: Sequence[str] = ()
    filename: str = "report"
    links: dict = field(default_factory=dict)  # fact label -> URL (definitions), page only
    people: list = field(default_factory=list)  # patrons whose data the report shows (PDPA access log)

    @property
    def shown_facts(self) -> list[tuple[str, str]]:
        return [(label, fmt(value)) for label, value in self.facts]


def xlsx(report: Report) -> HttpResponse:
    notes = [report.subtitle, *report.notes]
    sheets = []
    if report.facts:
        from django.utils.translation import gettext as _

        sheets.append(Sheet(_("Summary"), [_("Figure"), _("Value")],
                            [[label, value if not isinstance(value, str) else value] for label, value in report.facts],
                            notes=notes))
    for table in report.tables:
        sheets.append(Sheet(table.title, list(table.columns), [list(r) for r in table.rows], notes=notes,
                            totals=list(table.totals) if table.totals is not None else None))
    return xlsx_response(f"{report.filename}.xlsx", sheets, title=report.title)


def pdf_bytes(report: Report) -> bytes:
    """The report on A4 pages: title, period, facts, then each table with its header row repeated per page."""
    doc = pdf.Document(title=report.title, margin=15 * mm)
    doc.heading(report.title)
    if report.subtitle:
        doc.paragraph(report.subtitle, size=11)
    for label, value in report.shown_facts:
        doc.paragraph(f"{label}: {value}", size=10, space_after=0.1)
    for table in report.tables:
        doc.space(6)
        doc.need(60)
        doc.paragraph(table.title, font=pdf.BOLD, size=13, space_after=0.2)
        _table(doc, table)
    for note in report.notes:
        doc.space(4)
        doc.paragraph(note, size=9)
    return doc.finish()


def _table(doc: pdf.Document, table: Table) -> None:
    size = 9
    metrics = pdf.line_metrics(pdf.REGULAR, size)
    ncols = max(len(table.columns), 1)
    first = doc.width * (0.34 if ncols > 2 else 0.6)
    rest = (doc.width - first) / max(ncols - 1, 1)
    widths = [first] + [rest] * (ncols - 1)
    c = doc.canvas

    def row(cells, font=pdf.REGULAR):
        doc.need(metrics.leading)
        x = doc.margin
        for i, (text, w) in enumerate(zip(cells, widths, strict=False)):
            align = "right" if i >= table.numeric_from and font == pdf.REGULAR else "left"
            pdf.draw_text(c, x + 2, doc.y - metrics.ascent, str(text), font=font, size=size, width=w - 4,
                          align=align, overflow="shrink")
            x += w
        doc.y -= metrics.leading

    def header():
        row(table.columns, pdf.BOLD)
        c.setLineWidth(0.5)
        c.line(doc.margin, doc.y + metrics.leading * 0.2, doc.margin + doc.width, doc.y + metrics.leading * 0.2)

    header()
    if not table.rows and table.empty_text:
        row([table.empty_text])
    for cells in table.shown_rows:
        if doc.y - metrics.leading < doc.margin:
            doc.new_page()
            header()
        row(cells)
    if table.shown_totals is not None:
        row(table.shown_totals, pdf.BOLD)


def pdf_response(report: Report) -> HttpResponse:
    response = HttpResponse(pdf_bytes(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename}.pdf"'
    return response
