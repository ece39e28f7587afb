"""Public catalog pages: search results with facets and per-branch availability, the record page."""
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bkklib.catalog import queries as catalog_queries
from bkklib.catalog.models import Item, MaterialType, Record
from bkklib.circulation.models import Hold, Loan
from bkklib.core import ratelimit
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch
from bkklib.search import index
from bkklib.search.documents import FACETS

from . import account, labels
from .account_forms import PickupForm

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 500
MAX_PAGE = 500  # deeper pages are refused kindly: nobody reads past 10,000 hits, crawlers would
FILTER_KEYS = ("branch", "material_type", "language", "year", "availability")
SORTS = ("relevance", "newest", "title")


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


BRANCH_CACHE_KEY = "opac:branch-names"
BRANCH_CACHE_SECONDS = 300


def _branch_names(codes) -> dict[str, Branch]:
    """Return the branches by code (names only), from a five-minute cache: every results page needs them."""
    known = cache.get(BRANCH_CACHE_KEY)
    if known is None or not set(codes) <= known.keys():
        known = {b.code: b for b in Branch.objects.only("code", "name_th", "name_en")}
        cache.set(BRANCH_CACHE_KEY, known, BRANCH_CACHE_SECONDS)
    return {code: known[code] for code in codes if code in known}


def _records(ids: list[int]) -> list[Record]:
    """Return the records ``ids`` in order, with only the columns a result line shows (not the MARC)."""
    by_id = Record.objects.only("pk", "title", "authors", "responsibility", "display_year", "call_number").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def availability_of(record_ids: list[int]) -> dict[int, dict]:
    """Return per record: available copies by branch code, and the number of copies, in one query."""
    result: dict[int, dict] = defaultdict(lambda: {"available": defaultdict(int), "copies": 0})
    rows = Item.objects.filter(record_id__in=record_ids).exclude(status=Item.Status.WITHDRAWN)
    for record_id, branch_code, status in rows.values_list("record_id", "branch__code", "status"):
        entry = result[record_id]
        entry["copies"] += 1
        if status == Item.Status.AVAILABLE:
            entry["available"][branch_code] += 1
    return result


_ROW = ('\n      <li>\n        <h3 class="result-title"><a href="{}">{}</a></h3>\n        <p class="muted">{}{}{}</p>\n'
        '        <p class="availability">{}</p>\n      </li>')
_FACET = ('\n    <section aria-labelledby="facet-{}">\n      <h2 id="facet-{}">{}</h2>\n      <ul>{}</ul>\n'
          '    </section>\n    ')
_ENTRY = '<li><a href="{}"{} rel="nofollow">{}{}</a> <span class="muted">({})</span></li>'
_SELECTED = mark_safe(' aria-current="true" class="selected"')  # noqa: S308 - a constant


def rows_html(rows) -> str:
    """Return the result list's items as HTML (what a template loop gave, about three times faster:
    the results page renders them on every search)."""
    return format_html_join("", _ROW, (
        (row["url"], row["record"].title or "—", row["byline"],
         f" · {row['record'].display_year}" if row["record"].display_year else "",
         f" · {row['record'].call_number}" if row["record"].call_number else "", row["availability"])
        for row in rows))


def facets_html(groups) -> str:
    """Return the facet lists as HTML (see ``rows_html``)."""
    return format_html_join("", _FACET, (
        (g["name"], g["name"], g["title"], format_html_join("", _ENTRY, (
            (e["href"], _SELECTED if e["selected"] else "", "✓ " if e["selected"] else "", e["label"], e["count"])
            for e in g["entries"])))
        for g in groups))


# Generous: a person paging through results never meets it, a scraper does (issue 30).
SEARCH_LIMIT = ratelimit.Limit("opac-search", settings.BKKLIB["SEARCH_PER_MINUTE"], 60)


@ratelimit.rate_limited(SEARCH_LIMIT, methods=("GET",))
def search(request):
    """Search results: hits with per-branch availability, facets to narrow, sort, pages.

    Bad input (nothing typed, 10,000 characters, only punctuation, injection attempts) gets this
    same page with a message, never an error.
    """
    raw_q = request.GET.get("q", "")
    notices = []
    q = " ".join(raw_q.split())
    if len(q) > MAX_QUERY_LENGTH:
        q = q[:MAX_QUERY_LENGTH]
        notices.append(_("Your search was very long; only its first {n} characters were used.").format(
            n=MAX_QUERY_LENGTH))
    filters = {key: [v for v in request.GET.getlist(key) if v][:20] for key in FILTER_KEYS}
    filters = {k: v for k, v in filters.items() if v}
    sort = request.GET.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    page = _int_or_none(request.GET.get("page")) or 1
    page = min(max(page, 1), MAX_PAGE)  # past it the page says how to reach the rest (narrow the search)
    year_from, year_to = _int_or_none(request.GET.get("year_from")), _int_or_none(request.GET.get("year_to"))
    # Years of either era (2555 or 2012): the index reads a year from 2400 on as BE.
    context = {"q": q, "filters": filters, "sort": sort, "notices": notices, "year_from": year_from,
               "year_to": year_to, "year_from_typed": year_from or "", "year_to_typed": year_to or "",
               "selected_count": sum(len(v) for v in filters.values())
               + (year_from is not None or year_to is not None),
               "sorts": [(s, labels.SORT_LABELS[s]) for s in SORTS]}
    if not q and not filters and year_from is None and year_to is None:
        context["empty_query"] = True
        return render(request, "opac/search.html", context)
    result = index.search(q, filters=filters, year_from=year_from, year_to=year_to, facets=FACETS, sort=sort,
                          page=page, page_size=PAGE_SIZE)
    ids = [hit.id for hit in result.hits]
    records = _records(ids)
    avail = availability_of(ids)
    branch_codes = {c for r in records for c in avail[r.pk]["available"]}
    branch_codes |= {value for value, _count in result.facets.get("branch", [])}
    branches = _branch_names(branch_codes)
    rows = []
    line = labels.AvailabilityLine()  # translated once per page, not once per result
    for record in records:
        entry = avail[record.pk]
        here = sorted(entry["available"].items(), key=lambda kv: (-kv[1], kv[0]))
        available_at = [branches[code] for code, _n in here if code in branches][:5]
        rows.append({
            "record": record,
            "url": f"/records/{record.pk}/",
            "byline": "; ".join(record.authors) if record.authors else record.responsibility,
            "copies": entry["copies"],
            "available_at": available_at,
            "availability": line.render(available_at, max(0, len(here) - 5), entry["copies"]),
        })
    facets = labels.facet_groups(result.facets, filters, branches, request.GET)
    context.update({
        "result": result,
        "rows": rows,
        "rows_html": rows_html(rows),
        "facets": facets,
        "facets_html": facets_html(facets),
        "pages": (result.total + PAGE_SIZE - 1) // PAGE_SIZE,
        "max_page": MAX_PAGE,
        "max_results": f"{MAX_PAGE * PAGE_SIZE:,}",
        "first": (result.page - 1) * PAGE_SIZE + 1,
        "last": (result.page - 1) * PAGE_SIZE + len(rows),
    })
    return render(request, "opac/search.html", context)


def record_detail(request, record_id):
    """A record: bibliographic details, holdings per branch (call number, status, due date), hold, share."""
    try:
        record = Record.objects.get(pk=int(record_id))
    except (Record.DoesNotExist, ValueError, OverflowError):
        raise Http404(_("No record with this number.")) from None
    items = list(catalog_queries.items_of(record).exclude(status=Item.Status.WITHDRAWN))
    due_dates = dict(
        Loan.objects.open().filter(item__in=items).values_list("item_id", "due_on")
    )
    holdings = defaultdict(list)
    for item in items:
        holdings[item.branch].append({"item": item, "due_on": due_dates.get(item.pk)})
    holdings = sorted(holdings.items(), key=lambda kv: (
        -sum(1 for h in kv[1] if h["item"].status == Item.Status.AVAILABLE), kv[0].name_th))
    url = request.build_absolute_uri(reverse("opac:record", args=[record.pk]))
    patron = account.current_patron(request)
    context = {
        "record": record,
        "holdings": holdings,
        "available_count": sum(1 for i in items if i.status == Item.Status.AVAILABLE),
        "material_label": MaterialType(record.material_type).label if record.material_type in MaterialType.values
        else record.material_type,
        "language_label": labels.language_name(record.language),
        "share_url": url,
        "json_ld": book_json_ld(record, url, items),
        "patron": patron,
        "queue_length": Hold.objects.filter(record=record, status=Hold.Status.WAITING).count(),
        "hold_form": PickupForm.for_patron(patron, network_queries.pickup_points_near(patron.home_branch),
                                           auto_id="hold-%s") if patron else None,
    }
    return render(request, "opac/record.html", context)


def book_json_ld(record: Record, url: str, items) -> dict:
    """Return schema.org Book data of a record for search engines and link previews."""
    data = {
        "@context": "https://schema.org",
        "@type": "Book",
        "@id": url,
        "url": url,
        "name": record.title,
        "author": [{"@type": "Person", "name": a} for a in record.authors] or None,
        "publisher": {"@type": "Organization", "name": record.publisher} if record.publisher else None,
        "datePublished": str(record.year) if record.year else None,
        "isbn": record.isbns[0] if record.isbns else None,
        "inLanguage": labels.bcp47(record.language) or None,
        "about": record.subjects or None,
        "bookEdition": record.edition or None,
    }
    return {k: v for k, v in data.items() if v is not None}
