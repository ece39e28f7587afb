"""The public website's extension points: what higher apps add to pages the public website owns
(docs/architecture.md, Cross-cutting mechanisms).

The public website (opac) is lower than the apps that serve the public beside the catalog
(e-library, spaces, events...), so it never imports them. Each such app declares, in its ``menu``
module:

- ``PUBLIC_LINKS``: ``PublicLink``s for the site's main menu (``/elibrary/``, ``/spaces/``...);
- ``ACCOUNT_SECTIONS``: ``Section``s of the patron's account page, beside loans and holds
  (e-loans, bookings, registrations); the context function is ``(patron, today) -> dict | None``;
- ``HOME_SECTIONS``: ``Section``s of the home page (featured e-books, this month's festival); the
  context function is ``(today) -> dict | None``.

A section's context function returns None when it has nothing to show; its template is included
with the returned dict as context. Sections are shown by ``order``, then app order. A home section
the same for every visitor may set ``cache_seconds``: its context is then computed once per day,
language and that many seconds in the cache (Redis in production, shared by every web node), so
the most visited page does not run every app's queries on every visit.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language


@dataclass(frozen=True)
class PublicLink:
    label: str  # gettext_lazy
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class Section:
    key: str  # unique across the site; the section's HTML id
    template: str
    context: str  # dotted path of the context function
    order: int = 100
    cache_seconds: int = 0  # home sections only: reuse the context this long (0: compute every time)


def _declared(name: str):
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            values = import_string(f"{config.name}.menu.{name}")
        except ImportError:
            continue
        yield from values


def public_links(path: str = "") -> list[dict]:
    """Return the main-menu links of higher apps (label, url, current) in order."""
    links = []
    for link in sorted(_declared("PUBLIC_LINKS"), key=lambda item: item.order):
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        links.append({"label": link.label, "url": url, "current": bool(path) and path.startswith(url)})
    return links


def _context(section: Section, args: tuple, cache_key: str = ""):
    function = import_string(section.context)
    if not (cache_key and section.cache_seconds):
        return function(*args)
    key = f"public-section:{section.key}:{cache_key}:{get_language()}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = function(*args)
        cache.set(key, found, section.cache_seconds)
    return found


_MISSING = object()


def _sections(name: str, *args, cache_key: str = "") -> list[dict]:
    shown = []
    for section in sorted(_declared(name), key=lambda item: item.order):
        context = _context(section, args, cache_key)
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown


def account_sections(patron, today) -> list[dict]:
    """Return the sections higher apps add to ``patron``'s account page on ``today``."""
    return _sections("ACCOUNT_SECTIONS", patron, today)


def home_sections(today) -> list[dict]:
    """Return the sections higher apps add to the home page on ``today``."""
    return _sections("HOME_SECTIONS", today, cache_key=today.isoformat())
