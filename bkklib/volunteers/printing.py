"""The certificate of a volunteer's hours (PDF through core.pdf: Thai shaped by HarfBuzz, Sarabun)."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from bkklib.core import pdf
from bkklib.core.calendar import thai_date

from .models import Volunteer


def certificate(volunteer: Volunteer, *, hours: dict[int, Decimal], issued_on: date) -> bytes:
    """One A4 page: the volunteer's name, home branch, approved hours per fiscal year and in all."""
    buffer = io.BytesIO()
    width, height = A4
    c = pdf.new_canvas(buffer, pagesize=A4, title=_("Certificate of volunteer hours"))
    c.setLineWidth(2)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    centre = width / 2
    pdf.draw_text(c, centre, height - 40 * mm, _("Bangkok Metropolitan Administration libraries"), size=16,
                  align="centre")
    pdf.draw_text(c, centre, height - 62 * mm, _("Certificate of volunteer hours"), font=pdf.BOLD, size=28,
                  align="centre")
    pdf.draw_text(c, centre, height - 80 * mm, _("This certifies that"), size=16, align="centre")
    pdf.draw_text(c, 25 * mm, height - 98 * mm, volunteer.full_name, font=pdf.BOLD, size=24, width=width - 50 * mm,
                  align="centre", overflow="shrink")
    pdf.draw_text(c, 25 * mm, height - 114 * mm,
                  _("volunteered at {branch} (volunteer code {code})").format(branch=volunteer.branch.name_th,
                                                                              code=volunteer.code),
                  size=16, width=width - 50 * mm, align="centre", overflow="shrink")
    y = height - 136 * mm
    for year, amount in sorted(hours.items()):
        pdf.draw_text(c, centre, y, _("Fiscal year {year}: {hours} hours").format(year=year, hours=f"{amount:.2f}"),
                      size=16, align="centre")
        y -= 9 * mm
    total = sum(hours.values(), Decimal("0"))
    pdf.draw_text(c, centre, y - 4 * mm, _("In all: {hours} hours approved by the supervisor").format(
        hours=f"{total:.2f}"), font=pdf.BOLD, size=18, align="centre")
    pdf.draw_text(c, centre, 52 * mm, _("Given on {date}").format(date=thai_date(issued_on, long=True)), size=14,
                  align="centre")
    pdf.draw_text(c, centre, 40 * mm, "……………………………………", size=14, align="centre")
    pdf.draw_text(c, centre, 32 * mm, _("Librarian, {branch}").format(branch=volunteer.branch.name_th), size=14,
                  align="centre")
    c.showPage()
    c.save()
    return buffer.getvalue()


def checkin_poster(branch, *, url: str) -> bytes:
    """An A4 poster for the volunteers' corner of ``branch``: a large QR code of the branch's check-in
    address, what to do, and the address under it (Thai shaped by core.pdf)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    doc = pdf.Document(title=_("Volunteer check-in"))
    doc.paragraph(_("Bangkok Metropolitan Administration libraries"), size=14, align="centre")
    doc.paragraph(_("Volunteer check-in"), font=pdf.BOLD, size=32, align="centre", space_after=0.2)
    doc.paragraph(branch.name_th, font=pdf.BOLD, size=20, align="centre", space_after=0.4)
    doc.paragraph(_("Scan with your phone when you arrive for your shift and again when you leave."), size=16,
                  align="centre", space_after=0.2)
    side = 110 * mm
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    top = min(doc.y - 8 * mm, doc.pagesize[1] - 120 * mm)
    renderPDF.draw(drawing, doc.canvas, doc.margin + (doc.width - side) / 2, top - side)
    doc.y = top - side - 6 * mm
    doc.paragraph(_("Sign in with your volunteer code first. Check-in opens 30 minutes before your shift."),
                  size=14, align="centre")
    doc.paragraph(url, size=10, align="centre")
    return doc.finish()
