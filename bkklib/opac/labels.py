"""Names people read for the catalog's codes: facets, languages, sort orders (no ORM)."""
from urllib.parse import urlencode

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from bkklib.catalog.languages import LANGUAGES, bcp47, language_name  # noqa: F401 (names of this module)
from bkklib.catalog.models import MaterialType
from bkklib.core.calendar import BE_OFFSET

SORT_LABELS = {"relevance": _("Best match"), "newest": _("Newest first"), "title": _("Title (A–Z, ก–ฮ)")}
FACET_TITLES = {
    "availability": _("Availability"),
    "branch": _("Library"),
    "material_type": _("Type"),
    "language": _("Language"),
    "year": _("Year"),
}
FACET_VALUES_SHOWN = 8


def facet_value_label(name: str, value: str, branches: dict) -> str:
    if name == "availability":
        return str(_("Available now")) if value == "available" else str(_("All copies out"))
    if name == "branch":
        branch = branches.get(value)
        if branch is None:
            return value
        english = (translation.get_language() or "th").startswith("en")
        return branch.name_en if english and branch.name_en else branch.name_th
    if name == "material_type":
        return str(MaterialType(value).label) if value in MaterialType.values else value
    if name == "language":
        return language_name(value)
    if name == "year" and value.isdigit():
        # The bucket is the Common Era year of every record of that year; Thai readers count in BE.
        english = (translation.get_language() or "th").startswith("en")
        return value if english else str(int(value) + BE_OFFSET)
    return value


def toggle_href(params, name: str, value: str) -> str:
    """Return the query string with facet value ``name=value`` added, or removed when present (page reset).

    ``params`` is a list of (key, value) pairs (the request's query without ``page``).
    """
    pair = (name, value)
    items = [p for p in params if p != pair] if pair in params else [*params, pair]
    return "?" + urlencode(items)


def facet_groups(facets: dict, filters: dict, branches: dict, params) -> list[dict]:
    """Return the facets as groups of {value, label, count, selected, href} for the results page."""
    groups = []
    params = [(k, v) for k, values in params.lists() if k != "page" for v in values]
    for name, values in facets.items():
        if name == "availability":
            # Per-branch values ("available:<code>") are for filters, not for the list.
            values = [(v, c) for v, c in values if ":" not in v]
        selected = set(filters.get(name, []))
        entries = [{"value": v, "count": c, "selected": v in selected} for v, c in values]
        if name == "year":
            entries.sort(key=lambda e: e["value"], reverse=True)
        shown = [e for e in entries if e["selected"]] + [e for e in entries if not e["selected"]]
        # Labels and links only for what is shown: a broad query has hundreds of facet values.
        for entry in shown[:FACET_VALUES_SHOWN]:
            entry["label"] = facet_value_label(name, entry["value"], branches)
            entry["href"] = toggle_href(params, name, entry["value"])
        if entries:
            groups.append({"name": name, "title": FACET_TITLES.get(name, name), "entries": shown[:FACET_VALUES_SHOWN],
                           "more": max(0, len(shown) - FACET_VALUES_SHOWN)})
    return groups


class AvailabilityLine:
    """The "available at ..." line of a search result, as HTML (built in Python: it repeats 20 times a page)."""

    def __init__(self):
        self.english = (translation.get_language() or "th").startswith("en")
        self.available = str(_("Available"))
        self.at = pgettext("at a place", "at")
        self.all_out = str(_("All copies out"))
        self.reserve = str(_("you can reserve it"))
        self.no_copies = str(_("No copies yet"))

    def _name(self, branch):
        if self.english:
            if branch.name_en:
                return branch.name_en
            return format_html('<span lang="th">{}</span>', branch.name_th)
        return branch.name_th

    def render(self, branches, more: int, copies: int) -> str:
        if branches:
            names = format_html_join(", ", "{}", ((self._name(b),) for b in branches))
            extra = ""
            if more:
                extra = " " + ngettext("and %(counter)s more library", "and %(counter)s more libraries", more) % {
                    "counter": more}
            return format_html('<span class="badge badge-ok">{}</span> {} {}{}', self.available, self.at, names, extra)
        if copies:
            return format_html('<span class="badge badge-warn">{}</span> {}', self.all_out, self.reserve)
        return format_html('<span class="badge">{}</span>', self.no_copies)
