"""Printable label sheets (PDF, A4): spine labels with the call number, and Code 128 barcode labels.

The Thai font is shipped once with the core app (``bkklib.core.pdf``, Sarabun, OFL) so the sheets look the same on every
server; a call number such as ``895.913 ส649ม ล.2`` prints one part per line as librarians write it.
"""
import io
from dataclasses import dataclass

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

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


def _fit(c, text: str, font: str, size: float, width: float) -> float:
    """Return the largest font size up to ``size`` at which ``text`` fits in ``width``."""
    while size > 5 and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _truncate(c, text: str, font: str, size: float, width: float) -> str:
    if c.stringWidth(text, font, size) <= width:
        return text
    while text and c.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _pdf(labels: list[Label], sheet: Sheet, draw, start: int, title: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    c.setCreator("bkklib")
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


def _draw_spine(c, label: Label, x: float, y: float, sheet: Sheet) -> None:
    lines = call_number_lines(label.call_number) or [label.barcode]
    pad = 1.5 * mm
    inner = sheet.width - 2 * pad
    size = min(13.0, (sheet.height - 2 * pad) / (len(lines) * 1.15 + (0.6 if label.branch else 0)))
    size = min(_fit(c, line, FONT_BOLD, size, inner) for line in lines)
    top = y + sheet.height - pad - size
    for number, line in enumerate(lines):
        c.setFont(FONT_BOLD, size)
        c.drawCentredString(x + sheet.width / 2, top - number * size * 1.15, line)
    if label.branch:
        c.setFont(FONT, 5.5)
        c.drawCentredString(x + sheet.width / 2, y + pad * 0.6, _truncate(c, label.branch, FONT, 5.5, inner))


def _draw_barcode(c, label: Label, x: float, y: float, sheet: Sheet) -> None:
    pad = 3 * mm
    inner = sheet.width - 2 * pad
    c.setFont(FONT, 8)
    c.drawString(x + pad, y + sheet.height - pad - 6, _truncate(c, label.branch, FONT, 8, inner))
    c.setFont(FONT_BOLD, 9)
    c.drawString(x + pad, y + sheet.height - pad - 17, _truncate(c, label.title, FONT_BOLD, 9, inner))
    bar = code128.Code128(label.barcode, barHeight=11 * mm, barWidth=0.3 * mm, humanReadable=False, quiet=False)
    if bar.width > inner:  # long barcodes: narrower bars, still within scanners' tolerance
        bar = code128.Code128(label.barcode, barHeight=11 * mm, barWidth=0.3 * mm * inner / bar.width,
                              humanReadable=False, quiet=False)
    bar.drawOn(c, x + (sheet.width - bar.width) / 2, y + 8.5 * mm)
    c.setFont(FONT, 9)
    c.drawCentredString(x + sheet.width / 2, y + 4.5 * mm, label.barcode)
    if label.call_number:
        c.setFont(FONT, 7)
        c.drawRightString(x + sheet.width - pad, y + 1.5 * mm, label.call_number)


def spine_labels_pdf(labels: list[Label], *, start: int = 1) -> bytes:
    """Return an A4 PDF of spine labels (65 a sheet), starting at label ``start`` of the first sheet."""
    return _pdf(labels, SPINE_SHEET, _draw_spine, start, "Spine labels")


def barcode_labels_pdf(labels: list[Label], *, start: int = 1) -> bytes:
    """Return an A4 PDF of Code 128 barcode labels (24 a sheet), starting at label ``start``."""
    return _pdf(labels, BARCODE_SHEET, _draw_barcode, start, "Barcode labels")
