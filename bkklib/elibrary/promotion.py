"""Promotion material: ready-to-paste social-media text and printable A4 QR posters (core.pdf, Thai shaping)."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

from bkklib.core import pdf
from bkklib.core.calendar import thai_date

from .models import Campaign, Collection, Title


def site_url(path: str, request=None) -> str:
    return request.build_absolute_uri(path) if request is not None else f"{settings.BKKLIB['SITE_URL']}{path}"


def _hashtags(*extra: str) -> str:
    tags = ["#ห้องสมุดกรุงเทพ", "#eLibrary", "#อ่านฟรี", *extra]
    return " ".join(tags)


def social_text_for_title(title: Title, request=None) -> str:
    url = site_url(reverse("elibrary:title", args=[title.pk]), request)
    by = _(" by {authors}").format(authors=", ".join(title.authors[:3])) if title.authors else ""
    return _("📚 Read “{title}”{by} free with your Bangkok library card, on your phone or in any reading app.\n"
             "{url}\n{tags}").format(title=title.title, by=by, url=url, tags=_hashtags())


def social_text_for_collection(collection: Collection, request=None) -> str:
    url = site_url(reverse("elibrary:collection", args=[collection.slug]), request)
    return _("📚 {name}: {count} e-books to borrow free with your Bangkok library card.\n{url}\n{tags}").format(
        name=collection.name, count=collection.titles.count(), url=url, tags=_hashtags())


def social_text_for_campaign(campaign: Campaign, request=None) -> str:
    path = reverse("elibrary:collection", args=[campaign.collection.slug]) if campaign.collection_id \
        else reverse("elibrary:home")
    return _("📣 {name} ({start} – {end}): borrow e-books free with your Bangkok library card.\n{url}\n{tags}").format(
        name=campaign.name, start=thai_date(campaign.starts_on), end=thai_date(campaign.ends_on),
        url=site_url(path, None if request is None else request), tags=_hashtags())


def poster(*, heading: str, lines: list[str], url: str, footer: str) -> bytes:
    """An A4 poster: the heading, a few lines, a large QR code of ``url`` and the address under it."""
    doc = pdf.Document(title=heading)
    c, width = doc.canvas, doc.width
    doc.paragraph(_("Bangkok public libraries e-Library"), size=14, align="centre")
    doc.paragraph(heading, font=pdf.BOLD, size=30, align="centre", space_after=0.4)
    for line in lines:
        doc.paragraph(line, size=16, align="centre", space_after=0.2)
    side = 110 * mm
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    top = min(doc.y - 8 * mm, doc.pagesize[1] - 120 * mm)
    renderPDF.draw(drawing, c, doc.margin + (width - side) / 2, top - side)
    doc.y = top - side - 6 * mm
    doc.paragraph(_("Scan with your phone's camera to open it."), size=14, align="centre")
    doc.paragraph(url, size=10, align="centre")
    doc.paragraph(footer, size=12, align="centre")
    return doc.finish()


def title_poster(title: Title) -> bytes:
    url = site_url(reverse("elibrary:title", args=[title.pk]))
    lines = [", ".join(title.authors[:3])] if title.authors else []
    return poster(heading=title.title, lines=lines, url=url,
                  footer=_("Borrow free with your library card, read on your phone or in any OPDS reading app."))


def collection_poster(collection: Collection) -> bytes:
    url = site_url(reverse("elibrary:collection", args=[collection.slug]))
    lines = [collection.description[:300]] if collection.description else []
    lines.append(_("{count} e-books").format(count=collection.titles.count()))
    return poster(heading=collection.name, lines=lines, url=url,
                  footer=_("Borrow free with your library card, read on your phone or in any OPDS reading app."))
