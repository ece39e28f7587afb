"""OPDS 1.2 Atom feeds (https://specs.opds.io/opds-1.2) for reading apps that do not speak OPDS 2 yet."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import Title
from . import links as L

ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DC = "http://purl.org/dc/terms/"
OS = "http://a9.com/-/spec/opensearch/1.1/"
THR = "http://purl.org/syndication/thread/1.0"
for prefix, uri in (("", ATOM), ("opds", OPDS), ("dc", DC), ("opensearch", OS)):
    ET.register_namespace(prefix, uri)
ENTRY_TYPE = "application/atom+xml;type=entry;profile=opds-catalog"


def _el(parent, tag: str, text: str | None = None, ns: str = ATOM, **attrs):
    node = ET.SubElement(parent, f"{{{ns}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def _link(parent, href: str, rel: str, type_: str, **attrs):
    return _el(parent, "link", href=href, rel=rel, type=type_, **attrs)


def feed(request, *, feed_id: str, title: str, self_url: str, kind: str, page: L.Page | None = None):
    root = ET.Element(f"{{{ATOM}}}feed")
    _el(root, "id", feed_id)
    _el(root, "title", title)
    _el(root, "updated", timezone.now().isoformat())
    author = _el(root, "author")
    _el(author, "name", _("Bangkok public libraries"))
    _link(root, self_url, "self", kind)
    _link(root, L.absolute(request, "elibrary:opds1-root"), "start", L.ATOM_NAV)
    _link(root, L.absolute(request, "elibrary:opds1-opensearch"), "search", "application/opensearchdescription+xml")
    _link(root, L.absolute(request, "elibrary:opds1-shelf"), L.SHELF_REL, L.ATOM_ACQ)
    _link(root, L.absolute(request, "elibrary:opds-auth"), L.AUTH_REL, L.AUTH_TYPE)
    if page is not None:
        _el(root, "totalResults", str(page.count), ns=OS)
        _el(root, "itemsPerPage", str(L.PAGE_SIZE), ns=OS)
        query = request.GET.copy()
        base = request.build_absolute_uri(request.path)
        for rel, number, wanted in (("next", page.number + 1, page.has_next),
                                    ("previous", page.number - 1, page.has_previous)):
            if wanted:
                query["page"] = number
                _link(root, f"{base}?{query.urlencode()}", rel, kind)
    return root


def navigation_entry(root, *, entry_id: str, title: str, href: str, content: str = "", rel: str = "subsection",
                     kind: str = L.ATOM_ACQ):
    entry = _el(root, "entry")
    _el(entry, "id", entry_id)
    _el(entry, "title", title)
    _el(entry, "updated", timezone.now().isoformat())
    _el(entry, "content", content or title, type="text")
    _link(entry, href, rel, kind)
    return entry


def publication_entry(root, title: Title, request, *, avail: rules.Availability, state: L.ReaderState):
    entry = _el(root, "entry")
    _el(entry, "id", f"urn:isbn:{title.isbn}" if title.isbn else f"urn:bkklib:etitle:{title.pk}")
    _el(entry, "title", title.title)
    _el(entry, "updated", title.created_at.isoformat())
    for name in title.authors:
        _el(_el(entry, "author"), "name", name)
    if title.language:
        _el(entry, "language", title.language, ns=DC)
    if title.publisher:
        _el(entry, "publisher", title.publisher, ns=DC)
    if title.year:
        _el(entry, "issued", str(title.year), ns=DC)
    for subject in title.subjects:
        _el(entry, "category", term=subject, label=subject)
    if title.description:
        _el(entry, "summary", title.description, type="text")
    _link(entry, L.absolute(request, "elibrary:title", title.pk), "alternate", "text/html")
    if title.cover_path:
        _link(entry, L.absolute(request, "elibrary:cover", title.pk), "http://opds-spec.org/image", title.cover_type)
    kind = title.media_type or "application/octet-stream"
    loan = state.loans.get(title.pk)
    if loan is not None:
        href = title.stream_url if title.format == Title.Format.STREAM else L.download_url(request, loan)
        acquire = _link(entry, href, L.ACQUIRE_REL, kind)
        _el(acquire, "availability", ns=OPDS, status="ready", until=loan.ends_at.isoformat())
        _link(entry, L.absolute(request, "elibrary:opds1-return", loan.pk), L.REVOKE_REL, ENTRY_TYPE)
    else:
        borrow = _link(entry, L.absolute(request, "elibrary:opds1-borrow", title.pk), L.BORROW_REL, ENTRY_TYPE)
        _el(borrow, "indirectAcquisition", ns=OPDS, type=kind)
        state_name = "reserved" if title.pk in state.holds else L.availability_state(avail)
        _el(borrow, "availability", ns=OPDS, status=state_name)
        if avail.copies is not None:
            _el(borrow, "copies", ns=OPDS, total=str(avail.copies),
                available=str(max(0, (avail.free or 0) - avail.reserved)))
    return entry


def serialise(root) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def entry_document(title: Title, request, *, avail, state) -> bytes:
    holder = ET.Element(f"{{{ATOM}}}feed")
    entry = publication_entry(holder, title, request, avail=avail, state=state)
    return serialise(entry)


def opensearch(request) -> bytes:
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    root = ET.Element(f"{{{ns}}}OpenSearchDescription")
    ET.SubElement(root, f"{{{ns}}}ShortName").text = _("e-Library")
    ET.SubElement(root, f"{{{ns}}}Description").text = _("Search the e-books of Bangkok public libraries")
    ET.SubElement(root, f"{{{ns}}}InputEncoding").text = "UTF-8"
    ET.SubElement(root, f"{{{ns}}}Url", {"type": L.ATOM_ACQ,
                                         "template": L.absolute(request, "elibrary:opds1-search") + "?q={searchTerms}"})
    return serialise(root)
