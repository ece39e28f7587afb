"""OPDS adapters: parse the request, ask the queries or the lending verbs, render OPDS 2 JSON or OPDS 1 Atom."""
from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.vary import vary_on_headers

from bkklib.core.exceptions import DomainError

from .. import queries
from ..exceptions import ElibraryRefused
from ..models import ELoan
from ..services import lending
from . import auth, v1, v2
from . import links as L

COUNT_SECONDS = 60


def _json(body: dict, *, status: int = 200, content_type: str = L.OPDS2) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type=f"{content_type}; charset=utf-8")


def _atom(data: bytes, kind: str, status: int = 200) -> HttpResponse:
    return HttpResponse(data, status=status, content_type=f"{kind}; charset=utf-8")


def opds(view):
    """Turn refusals into problem JSON (401 with the authentication document and a Basic challenge)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except auth.AuthenticationRequired as error:
            response = _json(v2.authentication_document(request), status=401, content_type=L.AUTH_TYPE)
            response["WWW-Authenticate"] = f'Basic realm="{auth.REALM}"'
            response["X-Problem-Code"] = error.code
            return response
        except DomainError as error:
            return _json(error.as_problem(), status=error.status, content_type="application/problem+json")

    return csrf_exempt(vary_on_headers("Authorization", "Accept-Language")(wrapper))


def _publications(request, titles, patron):
    ids = [t.pk for t in titles]
    avail = queries.availability_of(ids, today=timezone.localdate())
    return avail, L.reader_state(patron, ids)


# --- Lists shared by both versions ----------------------------------------------------------------


def _listing(kind: str, arg: str = ""):
    """Return (title, queryset or list) of one publication feed (a subject feed pages over subject rows)."""
    if kind == "new":
        return _("New e-books"), queries.new_titles()
    if kind == "popular":
        return _("Popular e-books"), queries.popular_titles()
    if kind == "subject":
        return _("Subject: {name}").format(name=arg), queries.subject_rows(arg)
    if kind == "collection":
        collection = queries.collection_by_slug(arg)
        return collection.name, collection.titles.lendable().order_by("title", "pk")
    if kind == "search":
        return _("Search: {q}").format(q=arg), queries.search_titles(arg)
    raise ValueError(kind)


def _page(request, kind: str, arg: str):
    """One page of a feed, its total counted at most once a minute (counting 50,000 titles per request
    cost more than the rest of the page)."""
    name, rows = _listing(kind, arg)
    total = None
    if not isinstance(rows, list):
        key = "elibrary:feed-count:" + hashlib.sha256(f"{kind}\0{arg}".encode()).hexdigest()
        total = cache.get(key)
        if total is None:
            total = rows.count()
            cache.set(key, total, COUNT_SECONDS)
    page = L.page_of(rows, request, total=total)
    if kind == "subject":
        page.items = queries.titles_in_order(page.items)
    return page, name


# --- OPDS 2 ---------------------------------------------------------------------------------------


@opds
def auth_document(request):
    return _json(v2.authentication_document(request), content_type=L.AUTH_TYPE)


@opds
def v2_root(request):
    return _json(v2.navigation_root(request, subjects=None, collections=None))


def _anonymous_cache(view):
    """Keep a feed read without credentials for FEED_CACHE_SECONDS (it is the same for every reader;
    its availability may lag that long, and borrowing checks again)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.ELIBRARY["FEED_CACHE_SECONDS"]
        if seconds <= 0 or "HTTP_AUTHORIZATION" in request.META:
            return view(request, *args, **kwargs)
        key = "elibrary:feed:" + hashlib.sha256(
            f"{request.get_host()}\0{request.get_full_path()}\0{get_language()}".encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper


@opds
@_anonymous_cache
def v2_feed(request, kind: str, arg: str = ""):
    if kind == "search":
        arg = (request.GET.get("query") or request.GET.get("q") or "").strip()[:200]
    patron = auth.patron_from_request(request)
    page, name = _page(request, kind, arg)
    avail, state = _publications(request, page.items, patron)
    pubs = [v2.publication(t, request, avail=avail[t.pk], state=state) for t in page.items]
    return _json(v2.feed(request, title=name, self_url=request.build_absolute_uri(), page=page, publications=pubs))


@opds
def v2_subjects(request):
    nav = [{"href": L.absolute(request, "elibrary:opds2-subject", name), "type": L.OPDS2, "rel": "subsection",
            "title": name, "properties": {"numberOfItems": n}} for name, n in queries.subjects(200)]
    return _json(v2.feed(request, title=_("By subject"), self_url=request.build_absolute_uri(), navigation=nav))


@opds
def v2_collections(request):
    nav = [{"href": L.absolute(request, "elibrary:opds2-collection", c.slug), "type": L.OPDS2, "rel": "subsection",
            "title": c.name, "properties": {"numberOfItems": c.n}} for c in queries.collections()]
    return _json(v2.feed(request, title=_("Collections"), self_url=request.build_absolute_uri(), navigation=nav))


@opds
def v2_shelf(request):
    patron = auth.patron_from_request(request, required=True)
    titles = [loan.title for loan in queries.loans_of(patron)]
    avail, state = _publications(request, titles, patron)
    pubs = [v2.publication(t, request, avail=avail[t.pk], state=state) for t in titles]
    return _json(v2.feed(request, title=_("My e-loans"), self_url=request.build_absolute_uri(), publications=pubs))


@opds
def v2_publication(request, title_id: int):
    patron = auth.patron_from_request(request)
    title = queries.title_by_id(title_id)
    avail, state = _publications(request, [title], patron)
    return _json(v2.publication(title, request, avail=avail[title.pk], state=state), content_type=L.OPDS2_PUB)


@opds
def v2_borrow(request, title_id: int):
    patron = auth.patron_from_request(request, required=True)
    title = queries.title_by_id(title_id)
    if queries.loan_of(patron, title) is None:
        lending.borrow(patron=patron, title=title, channel=ELoan.Channel.OPDS)
        status = 201
    else:
        status = 200  # borrowing again what one has: the same loan (apps retry)
    avail, state = _publications(request, [title], patron)
    return _json(v2.publication(title, request, avail=avail[title.pk], state=state), status=status,
                 content_type=L.OPDS2_PUB)


def _loan_of(patron, loan_id) -> ELoan:
    loan = ELoan.objects.select_related("title").filter(pk=loan_id, patron=patron).first()
    if loan is None:
        raise ElibraryRefused("not_your_loan")
    return loan


@opds
def v2_return(request, loan_id: int):
    patron = auth.patron_from_request(request, required=True)
    loan = _loan_of(patron, loan_id)
    if loan.returned_at is None:
        lending.return_loan(loan, patron=patron)
    avail, state = _publications(request, [loan.title], patron)
    return _json(v2.publication(loan.title, request, avail=avail[loan.title_id], state=state),
                 content_type=L.OPDS2_PUB)


# --- OPDS 1.2 -------------------------------------------------------------------------------------


@opds
def v1_root(request):
    root = v1.feed(request, feed_id="urn:bkklib:elibrary:root", title=_("Bangkok public libraries e-Library"),
                   self_url=request.build_absolute_uri(), kind=L.ATOM_NAV)
    for entry_id, title, name in (("new", _("New e-books"), "elibrary:opds1-new"),
                                  ("popular", _("Popular e-books"), "elibrary:opds1-popular")):
        v1.navigation_entry(root, entry_id=f"urn:bkklib:elibrary:{entry_id}", title=title,
                            href=L.absolute(request, name), rel="http://opds-spec.org/sort/" + entry_id)
    v1.navigation_entry(root, entry_id="urn:bkklib:elibrary:subjects", title=_("By subject"),
                        href=L.absolute(request, "elibrary:opds1-subjects"), kind=L.ATOM_NAV)
    v1.navigation_entry(root, entry_id="urn:bkklib:elibrary:collections", title=_("Collections"),
                        href=L.absolute(request, "elibrary:opds1-collections"), kind=L.ATOM_NAV)
    v1.navigation_entry(root, entry_id="urn:bkklib:elibrary:shelf", title=_("My e-loans"),
                        href=L.absolute(request, "elibrary:opds1-shelf"), rel=L.SHELF_REL)
    return _atom(v1.serialise(root), L.ATOM_NAV)


@opds
@_anonymous_cache
def v1_feed(request, kind: str, arg: str = ""):
    if kind == "search":
        arg = (request.GET.get("q") or "").strip()[:200]
    patron = auth.patron_from_request(request)
    page, name = _page(request, kind, arg)
    avail, state = _publications(request, page.items, patron)
    root = v1.feed(request, feed_id=f"urn:bkklib:elibrary:{kind}:{arg}", title=name,
                   self_url=request.build_absolute_uri(), kind=L.ATOM_ACQ, page=page)
    for title in page.items:
        v1.publication_entry(root, title, request, avail=avail[title.pk], state=state)
    return _atom(v1.serialise(root), L.ATOM_ACQ)


@opds
def v1_subjects(request):
    root = v1.feed(request, feed_id="urn:bkklib:elibrary:subjects", title=_("By subject"),
                   self_url=request.build_absolute_uri(), kind=L.ATOM_NAV)
    for name, n in queries.subjects(200):
        v1.navigation_entry(root, entry_id=f"urn:bkklib:elibrary:subject:{name}", title=name,
                            href=L.absolute(request, "elibrary:opds1-subject", name),
                            content=_("{n} e-books").format(n=n))
    return _atom(v1.serialise(root), L.ATOM_NAV)


@opds
def v1_collections(request):
    root = v1.feed(request, feed_id="urn:bkklib:elibrary:collections", title=_("Collections"),
                   self_url=request.build_absolute_uri(), kind=L.ATOM_NAV)
    for c in queries.collections():
        v1.navigation_entry(root, entry_id=f"urn:bkklib:elibrary:collection:{c.slug}", title=c.name,
                            href=L.absolute(request, "elibrary:opds1-collection", c.slug), content=c.description)
    return _atom(v1.serialise(root), L.ATOM_NAV)


@opds
def v1_opensearch(request):
    return HttpResponse(v1.opensearch(request), content_type="application/opensearchdescription+xml; charset=utf-8")


@opds
def v1_shelf(request):
    patron = auth.patron_from_request(request, required=True)
    titles = [loan.title for loan in queries.loans_of(patron)]
    avail, state = _publications(request, titles, patron)
    root = v1.feed(request, feed_id="urn:bkklib:elibrary:shelf", title=_("My e-loans"),
                   self_url=request.build_absolute_uri(), kind=L.ATOM_ACQ)
    for title in titles:
        v1.publication_entry(root, title, request, avail=avail[title.pk], state=state)
    return _atom(v1.serialise(root), L.ATOM_ACQ)


@opds
def v1_borrow(request, title_id: int):
    patron = auth.patron_from_request(request, required=True)
    title = queries.title_by_id(title_id)
    status = 200
    if queries.loan_of(patron, title) is None:
        lending.borrow(patron=patron, title=title, channel=ELoan.Channel.OPDS)
        status = 201
    avail, state = _publications(request, [title], patron)
    return _atom(v1.entry_document(title, request, avail=avail[title.pk], state=state), v1.ENTRY_TYPE, status)


@opds
def v1_return(request, loan_id: int):
    patron = auth.patron_from_request(request, required=True)
    loan = _loan_of(patron, loan_id)
    if loan.returned_at is None:
        lending.return_loan(loan, patron=patron)
    avail, state = _publications(request, [loan.title], patron)
    return _atom(v1.entry_document(loan.title, request, avail=avail[loan.title_id], state=state), v1.ENTRY_TYPE)
