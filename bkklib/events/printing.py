"""Certificates of participation (PDF through core.pdf: Thai shaped by HarfBuzz, Sarabun)."""
from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from bkklib.core import pdf
from bkklib.core.calendar import thai_date

from .models import Registration


def certificate(registrations: list[Registration]) -> bytes:
    """One A4 landscape page per participant: name, activity, date and place."""
    buffer = io.BytesIO()
    size = landscape(A4)
    c = pdf.new_canvas(buffer, pagesize=size, title=_("Certificate of participation"))
    width, height = size
    for registration in registrations:
        session = registration.session
        activity = session.activity
        c.setLineWidth(2)
        c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        centre = width / 2
        pdf.draw_text(c, centre, height - 45 * mm, _("Bangkok Metropolitan Administration libraries"),
                      size=16, align="centre")
        pdf.draw_text(c, centre, height - 70 * mm, _("Certificate of participation"), font=pdf.BOLD, size=32,
                      align="centre")
        pdf.draw_text(c, centre, height - 90 * mm, _("This certifies that"), size=16, align="centre")
        pdf.draw_text(c, 30 * mm, height - 108 * mm, registration.display_name, font=pdf.BOLD, size=26,
                      width=width - 60 * mm, align="centre", overflow="shrink")
        pdf.draw_text(c, 30 * mm, height - 126 * mm, _("took part in “{title}”").format(title=activity.title),
                      size=18, width=width - 60 * mm, align="centre", overflow="shrink")
        when = thai_date(timezone.localtime(session.starts_at), long=True)
        pdf.draw_text(c, 30 * mm, height - 140 * mm, _("on {date} at {place}").format(date=when, place=activity.where),
                      size=16, width=width - 60 * mm, align="centre", overflow="shrink")
        if activity.project_id:
            pdf.draw_text(c, 30 * mm, height - 152 * mm, _("Project: {name}").format(name=activity.project.name),
                          size=14, width=width - 60 * mm, align="centre", overflow="shrink")
        pdf.draw_text(c, centre, 40 * mm, "……………………………………", size=14, align="centre")
        pdf.draw_text(c, centre, 32 * mm, activity.organiser or _("Organiser"), size=14, align="centre")
        c.showPage()
    c.save()
    return buffer.getvalue()
