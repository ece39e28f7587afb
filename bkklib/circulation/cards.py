"""Library card PDF (ID-1 size, 85.6 × 54 mm) with the card number as a Code 128 barcode."""
from io import BytesIO

from reportlab.graphics.barcode import code128
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from bkklib.core.calendar import thai_date
from bkklib.core.pdf import thai_fonts

CARD_SIZE = (85.6 * mm, 54 * mm)
ACCENT = HexColor("#073763")


def _fonts() -> tuple[str, str]:
    """Register the shipped Sarabun TrueType fonts once; return (regular, bold) names."""
    return thai_fonts()


def card_pdf(patron) -> bytes:
    """Return a one-page PDF of ``patron``'s library card, ready for a card printer."""
    regular, bold = _fonts()
    buffer = BytesIO()
    width, height = CARD_SIZE
    pdf = canvas.Canvas(buffer, pagesize=CARD_SIZE)
    pdf.setTitle(f"บัตรสมาชิก {patron.card_number}")
    pdf.setFillColor(ACCENT)
    pdf.rect(0, height - 12 * mm, width, 12 * mm, stroke=0, fill=1)
    pdf.setFillColor(white)
    pdf.setFont(bold, 9)
    pdf.drawString(4 * mm, height - 6 * mm, "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร")
    pdf.setFont(regular, 6.5)
    pdf.drawString(4 * mm, height - 10 * mm, "Bangkok Metropolitan Administration Libraries · บัตรสมาชิก Library card")
    pdf.setFillColor(HexColor("#1b1b1b"))
    pdf.setFont(bold, 11)
    pdf.drawString(4 * mm, height - 18.5 * mm, patron.full_name[:40])
    pdf.setFont(regular, 7.5)
    if patron.full_name_en and patron.full_name_en != patron.full_name:
        pdf.drawString(4 * mm, height - 22.5 * mm, patron.full_name_en[:50])
    pdf.drawString(4 * mm, height - 26.5 * mm, f"{patron.category.name_th} · {patron.home_branch.name_th}"[:60])
    pdf.drawString(4 * mm, height - 30.5 * mm, f"หมดอายุ {thai_date(patron.card_expires_on)}")
    barcode = code128.Code128(patron.card_number, barHeight=11 * mm, barWidth=0.3 * mm, humanReadable=False)
    barcode.drawOn(pdf, (width - barcode.width) / 2, 7 * mm)
    pdf.setFont(regular, 8)
    pdf.drawCentredString(width / 2, 3 * mm, patron.card_number)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
