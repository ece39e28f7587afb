"""Public pages under /elibrary/: browse, search, a title, borrow, hold, return, download through signed links."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bkklib.core import ratelimit
from bkklib.core.exceptions import DomainError
from bkklib.opac.account import current_patron, patron_required

from .. import promotion, queries, storage
from ..models import EHold, ELoan
from ..opds import links as L
from ..services import lending

SEARCH_LIMIT = ratelimit.Limit("elibrary-search", 60, 60)


def home(request):
    today = timezone.localdate()
    new = list(queries.new_titles()[:12])
    popular = list(queries.popular_titles()[:12])
    avail = queries.availability_of({t.pk for t in new + popular}, today=today)
    return render(request, "elibrary/home.html", {
        "new": new, "popular": popular, "avail": avail, "collections": queries.collections(featured_only=True),
        "campaigns": queries.running_campaigns(today), "subjects": queries.subjects(24),
    })


def search(request):
    q = (request.GET.get("q") or "").strip()[:200]
    subject = (request.GET.get("subject") or "").strip()[:200]
    if q:
        ratelimit.check_request(SEARCH_LIMIT, request)
        found = queries.search_titles(q)
    elif subject:
        found = queries.titles_by_subject(subject)
    else:
        found = queries.new_titles()
    page = Paginator(found, 24).get_page(request.GET.get("page"))
    avail = queries.availability_of([t.pk for t in page.object_list], today=timezone.localdate())
    return render(request, "elibrary/search.html", {"q": q, "subject": subject, "page": page, "avail": avail})


def title_detail(request, title_id: int):
    title = queries.title_by_id(title_id)
    patron = current_patron(request)
    avail = queries.availability_of([title.pk], today=timezone.localdate())[title.pk]
    loan = queries.loan_of(patron, title) if patron else None
    hold = EHold.objects.active().filter(patron=patron, title=title).first() if patron else None
    return render(request, "elibrary/title.html", {
        "title": title, "avail": avail, "patron": patron, "loan": loan, "hold": hold,
        "download": L.download_url(request, loan) if loan and title.format != title.Format.STREAM else "",
        "share": promotion.social_text_for_title(title, request),
    })


def by_file(request, sha256: str):
    """The catalog record's 856 link: from the file's hash to its title page."""
    return redirect("elibrary:title", queries.title_by_sha(sha256).pk)


def collection_detail(request, slug: str):
    collection = queries.collection_by_slug(slug)
    page = Paginator(collection.titles.lendable().order_by("title", "pk"), 24).get_page(request.GET.get("page"))
    avail = queries.availability_of([t.pk for t in page.object_list], today=timezone.localdate())
    return render(request, "elibrary/collection.html", {"collection": collection, "page": page, "avail": avail})


def _back(request, title_id):
    return HttpResponseRedirect(reverse("elibrary:title", args=[title_id]))


@require_POST
@patron_required
def borrow(request, patron, title_id: int):
    title = queries.title_by_id(title_id)
    try:
        loan = lending.borrow(patron=patron, title=title)
        messages.success(request, _("You have borrowed “{title}” until {until}.").format(
            title=title.title, until=_thai(loan.ends_at)))
    except DomainError as error:
        messages.error(request, error.text)
    return _back(request, title.pk)


@require_POST
@patron_required
def place_hold(request, patron, title_id: int):
    title = queries.title_by_id(title_id)
    try:
        lending.place_hold(patron=patron, title=title)
        messages.success(request, _("You are in the queue for “{title}”. We will tell you when it is your turn.").format(
            title=title.title))
    except DomainError as error:
        messages.error(request, error.text)
    return _back(request, title.pk)


@require_POST
@patron_required
def return_loan(request, patron, loan_id: int):
    loan = ELoan.objects.filter(pk=loan_id, patron=patron).select_related("title").first()
    if loan is None:
        raise Http404
    try:
        lending.return_loan(loan, patron=patron)
        messages.success(request, _("You have returned “{title}”.").format(title=loan.title.title))
    except DomainError as error:
        messages.error(request, error.text)
    target = request.POST.get("next", "")
    return redirect(target if target in ("/account/",) else reverse("elibrary:title", args=[loan.title_id]))


@require_POST
@patron_required
def cancel_hold(request, patron, hold_id: int):
    hold = EHold.objects.filter(pk=hold_id, patron=patron).first()
    if hold is None:
        raise Http404
    try:
        lending.cancel_hold(hold, patron=patron)
        messages.success(request, _("Your hold is cancelled."))
    except DomainError as error:
        messages.error(request, error.text)
    return redirect("/account/" if request.POST.get("next") == "/account/" else reverse("elibrary:title",
                                                                                         args=[hold.title_id]))


def download(request, token: str):
    """Serve the file of an active loan through its signed link (expires with the loan)."""
    try:
        loan = L.loan_for_token(token)
    except DomainError:
        return render(request, "elibrary/link_expired.html", status=403)
    title = loan.title
    handle = open(storage.absolute(title.file_path), "rb")  # noqa: SIM115 (FileResponse closes it)
    inline = title.format == title.Format.PDF or request.GET.get("inline") == "1"
    extension = {"epub": ".epub", "pdf": ".pdf"}.get(title.format, "")
    response = FileResponse(handle, content_type=title.media_type, as_attachment=not inline,
                            filename=f"ebook-{title.pk}{extension}")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def cover(request, title_id: int):
    title = queries.title_by_id(title_id)
    if not title.cover_path:
        raise Http404
    response = FileResponse(open(storage.absolute(title.cover_path), "rb"), content_type=title.cover_type)  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response


def opds_help(request):
    return render(request, "elibrary/help.html", {"opds2": request.build_absolute_uri(reverse("elibrary:opds2-root")),
                                                  "opds1": request.build_absolute_uri(reverse("elibrary:opds1-root"))})


def not_served(request, path: str = ""):
    raise Http404


def _thai(moment):
    from bkklib.core.calendar import thai_datetime

    return thai_datetime(moment)
