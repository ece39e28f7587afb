"""What both OPDS versions share: absolute URLs, paging, signed download links, the reader's state of a title."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .. import rules
from ..exceptions import BadLink
from ..models import EHold, ELoan, Title

SALT = "bkklib.elibrary.download"
PAGE_SIZE = 50
BORROW_REL = "http://opds-spec.org/acquisition/borrow"
ACQUIRE_REL = "http://opds-spec.org/acquisition"
OPEN_REL = "http://opds-spec.org/acquisition/open-access"
REVOKE_REL = "http://librarysimplified.org/terms/rel/revoke"
AUTH_REL = "http://opds-spec.org/auth/document"
SHELF_REL = "http://opds-spec.org/shelf"
AUTH_TYPE = "application/opds-authentication+json"
OPDS2 = "application/opds+json"
OPDS2_PUB = "application/opds-publication+json"
ATOM_ACQ = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ATOM_NAV = "application/atom+xml;profile=opds-catalog;kind=navigation"


_MARK = 987654321


@functools.lru_cache(maxsize=512)
def _template(name: str) -> str:
    """The path of a route taking one whole number, as a format string (reverse() once per route)."""
    return reverse(name, args=[_MARK]).replace(str(_MARK), "{}")


@functools.lru_cache(maxsize=4096)
def _path(name: str, args: tuple) -> str:
    return reverse(name, args=args)


def absolute(request, name: str, *args, query: str = "") -> str:
    """The absolute URL of a route; feeds build hundreds per page, so paths are formatted, not reversed."""
    base = getattr(request, "_elibrary_base", None)
    if base is None:
        base = request._elibrary_base = request.build_absolute_uri("/")[:-1]
    if len(args) == 1 and isinstance(args[0], int):
        path = _template(name).format(args[0])
    else:
        path = _path(name, tuple(args))
    return base + path + (f"?{query}" if query else "")


def download_token(loan: ELoan) -> str:
    return signing.dumps({"l": loan.pk, "e": int(loan.ends_at.timestamp())}, salt=SALT, compress=True)


def download_url(request, loan: ELoan) -> str:
    return absolute(request, "elibrary:download", download_token(loan))


def loan_for_token(token: str, *, now: datetime | None = None) -> ELoan:
    """Return the active loan a signed link names; raise BadLink when forged, past the loan's end or returned."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise BadLink()
    if not isinstance(data, dict) or now.timestamp() >= data.get("e", 0):
        raise BadLink()
    loan = ELoan.objects.active().select_related("title").filter(pk=data.get("l"), ends_at__gt=now).first()
    if loan is None:
        raise BadLink()
    return loan


@dataclass
class Page:
    items: list
    number: int
    count: int
    has_next: bool
    has_previous: bool


def page_of(queryset, request, *, size: int | None = None, total: int | None = None) -> Page:
    """One page of ``queryset`` (``?page=N``). The rows are read for the page itself (one more tells
    whether a next page exists), so a ``total`` counted a minute ago never hides a new title."""
    size = size or PAGE_SIZE
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    if total is None:
        total = queryset.count() if not isinstance(queryset, list) else len(queryset)
    last = max(1, math.ceil(total / size))
    number = min(number, last + 1)
    items = list(queryset[(number - 1) * size: number * size + 1])
    if not items and number > 1:
        number = last
        items = list(queryset[(number - 1) * size: number * size + 1])
    has_next = len(items) > size
    items = items[:size]
    return Page(items, number, max(total, (number - 1) * size + len(items)), has_next, number > 1)


@dataclass
class ReaderState:
    """What one signed-in reader has of a title (for acquisition links)."""

    loans: dict  # title id -> ELoan
    holds: dict  # title id -> EHold


def reader_state(patron, title_ids) -> ReaderState:
    if patron is None:
        return ReaderState({}, {})
    loans = {loan.title_id: loan for loan in ELoan.objects.active().filter(patron=patron, title_id__in=title_ids)}
    holds = {h.title_id: h for h in EHold.objects.active().filter(patron=patron, title_id__in=title_ids)}
    return ReaderState(loans, holds)


def availability_state(avail: rules.Availability) -> str:
    return "available" if avail.can_borrow else ("reserved" if avail.lendable else "unavailable")


def content_type(title: Title) -> str:
    return title.media_type or "application/octet-stream"
