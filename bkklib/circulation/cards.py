"""Library card PDF (ID-1 size, 85.6 × 54 mm) with the card number as a Code 128 barcode.

Text goes through the project's one PDF path (``bkklib.core.pdf``): Thai names are shaped by HarfBuzz so their
marks stack right, lines are spaced for the marks they carry, and long names are cut at a character cluster.
"""
from io import BytesIO

from reportlab.graphics.barcode import code128
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm

from bkklib.core import pdf
from bkklib.core.calendar import thai_date

CARD_SIZE = (85.6 * mm, 54 * mm)
ACCENT = HexColor("#073763")
BAND = 12 * mm
PAD = 4 * mm
LIBRARY = "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร"
SUBTITLE = "Bangkok Metropolitan Administration Libraries · บัตรสมาชิก Library card"


def card_pdf(patron) -> bytes:
    """Return a one-page PDF of ``patron``'s library card, ready for a card printer."""
    regular, bold = pdf.thai_fonts()
    buffer = BytesIO()
    width, height = CARD_SIZE
    inner = width - 2 * PAD
    c = pdf.new_canvas(buffer, pagesize=CARD_SIZE, title=f"บัตรสมาชิก {patron.card_number}")
    c.setFillColor(ACCENT)
    c.rect(0, height - BAND, width, BAND, stroke=0, fill=1)
    # The band: two lines centred in it, each spaced for the marks it carries.
    first, second = pdf.line_metrics(bold, 9, LIBRARY), pdf.line_metrics(regular, 6.5, SUBTITLE)
    block = first.ascent + first.descent + second.ascent + second.descent
    top = height - (BAND - block) / 2
    c.setFillColor(white)
    pdf.draw_text(c, PAD, top - first.ascent, LIBRARY, font=bold, size=9, width=inner, overflow="shrink")
    pdf.draw_text(c, PAD, top - first.ascent - first.descent - second.ascent, SUBTITLE, size=6.5, width=inner,
                  overflow="shrink")
    # The holder: name, English name, category and branch, expiry, one under the other below the band.
    c.setFillColor(HexColor("#1b1b1b"))
    y = height - BAND - 1.2 * mm
    name = pdf.line_metrics(bold, 11)
    y -= name.ascent
    pdf.draw_text(c, PAD, y, patron.full_name, font=bold, size=11, width=inner, overflow="shrink", minimum=8)
    y -= name.descent
    small = pdf.line_metrics(regular, 7.5)
    lines = []
    if patron.full_name_en and patron.full_name_en != patron.full_name:
        lines.append(patron.full_name_en)
    lines.append(f"{patron.category.name_th} · {patron.home_branch.name_th}")
    lines.append(f"หมดอายุ {thai_date(patron.card_expires_on)}")
    for line in lines:
        y -= small.ascent
        pdf.draw_text(c, PAD, y, line, size=7.5, width=inner)
        y -= small.descent + pdf.LINE_GAP * 7.5
    # The card number: barcode and digits at the bottom.
    number = pdf.line_metrics(regular, 8, patron.card_number)
    baseline = 2.5 * mm + number.descent
    pdf.draw_text(c, width / 2, baseline, patron.card_number, size=8, align="centre")
    barcode = code128.Code128(patron.card_number, barHeight=11 * mm, barWidth=0.3 * mm, humanReadable=False)
    barcode.drawOn(c, (width - barcode.width) / 2, baseline + number.ascent + 0.8 * mm)
    c.showPage()
    c.save()
    return buffer.getvalue()
