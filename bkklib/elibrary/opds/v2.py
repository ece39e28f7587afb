"""OPDS 2.0 JSON documents (https://drafts.opds.io/opds-2.0): navigation, publication feeds, one publication."""
from __future__ import annotations

from django.utils.translation import gettext as _

from .. import rules
from ..models import Title
from . import links as L


def _link(href: str, rel: str | list, type_: str = L.OPDS2, **extra) -> dict:
    return {"href": href, "rel": rel, "type": type_, **extra}


def feed_links(request, self_url: str, page: L.Page | None = None) -> list[dict]:
    found = [
        _link(self_url, "self"),
        _link(L.absolute(request, "elibrary:opds2-root"), "start"),
        _link(L.absolute(request, "elibrary:opds2-search") + "{?query}", "search", templated=True),
        _link(L.absolute(request, "elibrary:opds-auth"), L.AUTH_REL, L.AUTH_TYPE),
        _link(L.absolute(request, "elibrary:opds2-shelf"), L.SHELF_REL),
    ]
    if page is not None:
        base = request.build_absolute_uri(request.path)
        query = request.GET.copy()
        for rel, number, wanted in (("next", page.number + 1, page.has_next),
                                    ("previous", page.number - 1, page.has_previous)):
            if wanted:
                query["page"] = number
                found.append(_link(f"{base}?{query.urlencode()}", rel))
        query["page"] = 1
        found.append(_link(f"{base}?{query.urlencode()}", "first"))
    return found


def metadata_of(title: Title, request) -> dict:
    meta = {"@type": "http://schema.org/Book" if not title.is_audio else "http://schema.org/Audiobook",
            "title": title.title, "identifier": f"urn:isbn:{title.isbn}" if title.isbn else
            f"urn:bkklib:etitle:{title.pk}", "modified": title.created_at.isoformat()}
    if title.authors:
        meta["author"] = [{"name": name} for name in title.authors]
    if title.language:
        meta["language"] = title.language
    if title.subjects:
        meta["subject"] = [{"name": s, "links": [_link(L.absolute(request, "elibrary:opds2-subject", s), "collection")]}
                           for s in title.subjects]
    if title.publisher:
        meta["publisher"] = title.publisher
    if title.year:
        meta["published"] = str(title.year)
    if title.description:
        meta["description"] = title.description
    return meta


def publication(title: Title, request, *, avail: rules.Availability, state: L.ReaderState) -> dict:
    """One publication with the links the reader can follow now: borrow (or hold), or read/return their loan."""
    kind = title.media_type if title.format != Title.Format.STREAM else "audio/mpeg"
    properties = {"indirectAcquisition": [{"type": kind}],
                  "availability": {"state": L.availability_state(avail)}}
    if avail.copies is not None:
        properties["copies"] = {"total": avail.copies, "available": max(0, (avail.free or 0) - avail.reserved)}
    found = [_link(L.absolute(request, "elibrary:opds2-publication", title.pk), "self", L.OPDS2_PUB),
             _link(L.absolute(request, "elibrary:title", title.pk), "alternate", "text/html")]
    loan = state.loans.get(title.pk)
    if loan is not None:
        acquisition = (_link(title.stream_url, L.ACQUIRE_REL, "audio/mpeg") if title.format == Title.Format.STREAM
                       else _link(L.download_url(request, loan), L.ACQUIRE_REL, kind))
        acquisition["properties"] = {"availability": {"state": "ready", "until": loan.ends_at.isoformat()}}
        found += [acquisition, _link(L.absolute(request, "elibrary:opds2-return", loan.pk), L.REVOKE_REL, L.OPDS2_PUB)]
    else:
        borrow = _link(L.absolute(request, "elibrary:opds2-borrow", title.pk), L.BORROW_REL, L.OPDS2_PUB,
                       properties=properties)
        hold = state.holds.get(title.pk)
        if hold is not None:
            borrow["properties"] = {**properties, "availability": {"state": "reserved"}}
        found.append(borrow)
    body = {"metadata": metadata_of(title, request), "links": found}
    if title.cover_path:
        body["images"] = [{"href": L.absolute(request, "elibrary:cover", title.pk), "type": title.cover_type}]
    return body


def feed(request, *, title: str, self_url: str, page: L.Page | None = None, publications=None, navigation=None,
         groups=None) -> dict:
    body: dict = {"metadata": {"title": title}, "links": feed_links(request, self_url, page)}
    if page is not None:
        body["metadata"].update(numberOfItems=page.count, itemsPerPage=L.PAGE_SIZE, currentPage=page.number)
    if publications:
        body["publications"] = publications
    if navigation:
        body["navigation"] = navigation
    if groups:
        body["groups"] = groups
    if not publications and not navigation and not groups:
        # The schema wants one of them non-empty: an empty feed offers the way back to the start.
        body["navigation"] = [_link(L.absolute(request, "elibrary:opds2-root"), "start", title=_("e-Library home"))]
    return body


def navigation_root(request, *, subjects, collections) -> dict:
    nav = [
        _link(L.absolute(request, "elibrary:opds2-new"), "http://opds-spec.org/sort/new", title=_("New e-books")),
        _link(L.absolute(request, "elibrary:opds2-popular"), "http://opds-spec.org/sort/popular",
              title=_("Popular e-books")),
        _link(L.absolute(request, "elibrary:opds2-subjects"), "subsection", title=_("By subject")),
        _link(L.absolute(request, "elibrary:opds2-collections"), "subsection", title=_("Collections")),
        _link(L.absolute(request, "elibrary:opds2-shelf"), L.SHELF_REL, title=_("My e-loans")),
    ]
    return feed(request, title=_("Bangkok public libraries e-Library"), self_url=L.absolute(request, "elibrary:opds2-root"),
                navigation=nav)


def authentication_document(request) -> dict:
    return {
        "id": L.absolute(request, "elibrary:opds-auth"),
        "title": _("Bangkok public libraries e-Library"),
        "description": _("Sign in with your library card number and PIN."),
        "links": [
            {"rel": "register", "href": request.build_absolute_uri("/account/register/"), "type": "text/html"},
            {"rel": "help", "href": request.build_absolute_uri("/elibrary/help/"), "type": "text/html"},
            {"rel": "start", "href": L.absolute(request, "elibrary:opds2-root"), "type": L.OPDS2},
        ],
        "authentication": [{
            "type": "http://opds-spec.org/auth/basic",
            "labels": {"login": _("Library card number"), "password": _("PIN")},
        }],
    }
