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
