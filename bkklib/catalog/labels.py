"""Printable label sheets (PDF, A4): spine labels with the call number, and Code 128 barcode labels.

Text goes through the project's one PDF path (``bkklib.core.pdf``: Sarabun, shaped by HarfBuzz so Thai marks
stack right); a call number such as ``895.913 ส649ม ล.2`` prints one part per line as librarians write it, clear
of the label's edges (sheets are die-cut to about a millimetre).
"""
import io
import math
from dataclasses import dataclass

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from bkklib.core import pdf

FONT_DIR = pdf.FONT_DIR
FONT = pdf.REGULAR
FONT_BOLD = pdf.BOLD


@dataclass(frozen=True)
class Sheet:
    """A sheet of labels: columns × rows of width × height, from the top-left margin, with gaps."""

    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    gap_x: float = 0
    gap_y: float = 0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, index: int) -> tuple[float, float]:
        """Return the bottom-left corner of label ``index`` (0-based) on its page."""
        column, row = index % self.columns, (index // self.columns) % self.rows
        x = self.left + column * (self.width + self.gap_x)
        y = A4[1] - self.top - (row + 1) * self.height - row * self.gap_y
        return x, y


# 65 spine labels of 38.1 × 21.2 mm (the common A4 "L7651" layout); 24 barcode labels of 70 × 37 mm.
SPINE_SHEET = Sheet(columns=5, rows=13, width=38.1 * mm, height=21.2 * mm, left=4.65 * mm, top=10.7 * mm,
                    gap_x=2.5 * mm)
BARCODE_SHEET = Sheet(columns=3, rows=8, width=70 * mm, height=37 * mm, left=0, top=0.5 * mm)


@dataclass
class Label:
    """What one label shows."""

    barcode: str
    call_number: str
    title: str = ""
    branch: str = ""


def register_fonts() -> None:
    """Register the shipped Thai TrueType fonts with reportlab (once per process)."""
    pdf.thai_fonts()


def call_number_lines(call_number: str) -> list[str]:
    """Return the parts of a call number, one per spine line (class, author mark, volume, copy...)."""
    return [part for part in (call_number or "").split() if part][:5]


def _pdf(labels: list[Label], sheet: Sheet, draw, start: int, title: str) -> bytes:
    buffer = io.BytesIO()
    c = pdf.new_canvas(buffer, pagesize=A4, title=title)
    position = max(0, start - 1) % sheet.per_page  # skip labels already used on a partly used sheet
    for label in labels:
        if position and position % sheet.per_page == 0:
            c.showPage()
        x, y = sheet.origin(position % sheet.per_page)
        draw(c, label, x, y, sheet)
        position += 1
    c.showPage()
    c.save()
    return buffer.getvalue()


SPINE_PAD_X = 2.5 * mm  # clear of the die cut: label sheets are cut to about ±1 mm
SPINE_PAD_Y = 1.8 * mm
BRANCH_SIZE = 5.5


def _spine_layout(lines: list[str], branch: str, height: float, width: float) -> tuple[float, float]:
    """Return (size, leading) at which the call number lines and the branch line fit the label."""
    text = "".join(lines)
    unit = pdf.line_metrics(FONT_BOLD, 10, text)
    room = height - 2 * SPINE_PAD_Y
    if branch:
        small = pdf.line_metrics(FONT, BRANCH_SIZE, branch)
        room -= small.ascent + small.descent + 0.5 * mm
    per_point = (unit.ascent + unit.descent + (len(lines) - 1) * unit.leading) / 10
    size = min(13.0, math.floor(room / per_point * 2) / 2)
    size = min(pdf.fit_size(line, FONT_BOLD, size, width) for line in lines)
    return size, unit.leading * size / 10


def _draw_spine(c, label: Label, x: float, y: float, sheet: Sheet) -> None:
    lines = call_number_lines(label.call_number) or [label.barcode]
    inner = sheet.width - 2 * SPINE_PAD_X
    size, leading = _spine_layout(lines, label.branch, sheet.height, inner)
    metrics = pdf.line_metrics(FONT_BOLD, size, "".join(lines))
    baseline = y + sheet.height - SPINE_PAD_Y - metrics.ascent
    for line in lines:
        pdf.draw_text(c, x + SPINE_PAD_X, baseline, line, font=FONT_BOLD, size=size, width=inner, align="centre")
        baseline -= leading
    if label.branch:
        small = pdf.line_metrics(FONT, BRANCH_SIZE, label.branch)
        pdf.draw_text(c, x + SPINE_PAD_X, y + SPINE_PAD_Y + small.descent, label.branch, size=BRANCH_SIZE,
                      width=inner, align="centre")


BARCODE_PAD = 3 * mm
BAR_HEIGHT = 11 * mm


def _draw_barcode(c, label: Label, x: float, y: float, sheet: Sheet) -> None:
    pad = BARCODE_PAD
    inner = sheet.width - 2 * pad
    # From the top: branch, title; from the bottom: barcode number and call number, then the bars.
    top = y + sheet.height - pad
    branch = pdf.line_metrics(FONT, 8)
    pdf.draw_text(c, x + pad, top - branch.ascent, label.branch, size=8, width=inner)
    title = pdf.line_metrics(FONT_BOLD, 9)
    pdf.draw_text(c, x + pad, top - branch.leading - title.ascent, label.title, font=FONT_BOLD, size=9, width=inner)
    number = pdf.line_metrics(FONT, 9, label.barcode + label.call_number)
    baseline = y + pad + number.descent
    number_width = pdf.text_width(label.barcode, FONT, 9)
    pdf.draw_text(c, x + pad, baseline, label.barcode, size=9)
    if label.call_number:
        room = inner - number_width - 3 * mm
        pdf.draw_text(c, x + pad + inner - room, baseline, label.call_number, size=8, width=room, align="right",
                      overflow="shrink")
    bar = code128.Code128(label.barcode, barHeight=BAR_HEIGHT, barWidth=0.3 * mm, humanReadable=False, quiet=False)
    if bar.width > inner:  # long barcodes: narrower bars, still within scanners' tolerance
        bar = code128.Code128(label.barcode, barHeight=BAR_HEIGHT, barWidth=0.3 * mm * inner / bar.width,
                              humanReadable=False, quiet=False)
    bar.drawOn(c, x + (sheet.width - bar.width) / 2, baseline + number.ascent + 1 * mm)


def spine_labels_pdf(labels: list[Label], *, start: int = 1) -> bytes:
    """Return an A4 PDF of spine labels (65 a sheet), starting at label ``start`` of the first sheet."""
    return _pdf(labels, SPINE_SHEET, _draw_spine, start, "Spine labels")


def barcode_labels_pdf(labels: list[Label], *, start: int = 1) -> bytes:
    """Return an A4 PDF of Code 128 barcode labels (24 a sheet), starting at label ``start``."""
    return _pdf(labels, BARCODE_SHEET, _draw_barcode, start, "Barcode labels")
