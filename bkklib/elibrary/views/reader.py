"""The in-browser reader of a borrowed EPUB (vendored epub.js), remembering the position per patron."""
from __future__ import annotations

import json

from csp.decorators import csp_replace
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bkklib.opac.account import patron_required

from .. import queries
from ..models import ELoan
from ..opds import links as L
from ..services import reading


def _loan(patron, loan_id) -> ELoan:
    loan = ELoan.objects.active().select_related("title").filter(pk=loan_id, patron=patron,
                                                                 ends_at__gt=timezone.now()).first()
    if loan is None:
        raise Http404
    return loan


# epub.js lays the book out in an iframe of this page, with the book's own stylesheets and images
# turned into blob: URLs and styles set on its elements: this page (only) allows inline and blob:
# styles, blob: images and fonts. Scripts stay 'self' only: a book's scripts never run.
READER_CSP = {
    "style-src": ["'self'", "'unsafe-inline'", "blob:"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'", "blob:", "about:"],
}


@csp_replace(READER_CSP)
@patron_required
def read(request, patron, loan_id: int):
    loan = _loan(patron, loan_id)
    if loan.title.format != loan.title.Format.EPUB:
        raise Http404
    position = queries.position_of(patron, loan.title)
    return render(request, "elibrary/reader.html", {
        "loan": loan, "title": loan.title, "book_url": L.download_url(request, loan) + "?inline=1",
        "position": position.location if position else "",
    })


@require_POST
@patron_required
def save_position(request, patron, loan_id: int):
    loan = _loan(patron, loan_id)
    try:
        data = json.loads(request.body or b"{}")
        location = str(data.get("location", ""))[:500]
        progress = min(1.0, max(0.0, float(data.get("progress", 0) or 0)))
    except (ValueError, TypeError):
        return JsonResponse({"saved": False}, status=400)
    if not location.startswith("epubcfi("):
        return JsonResponse({"saved": False}, status=400)
    reading.remember_position(patron=patron, title=loan.title, location=location, progress=progress)
    return JsonResponse({"saved": True})
