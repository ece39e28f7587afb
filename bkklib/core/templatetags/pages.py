"""The one pager of every paged list (staff and public): ``{% load pages %}{% pager page %}``.

``pager`` takes a Django ``Page`` (or ``number=`` and ``num_pages=`` for lists paged elsewhere,
such as search results), keeps every other query parameter of the request in its links, and may
stop offering "next" before the last page (``last=``: public search pages through 10,000 hits).
"""
from django import template

register = template.Library()


def url_with(request, **changes) -> str:
    """Return ``?query`` of ``request`` with ``changes`` applied (an empty value removes the key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """Return the current query string with ``changes`` applied (empty values remove a key)."""
    return url_with(context["request"], **changes)


@register.inclusion_tag("core/partials/pager.html", takes_context=True)
def pager(context, page=None, *, number=None, num_pages=None, last=None, previous_label="", next_label=""):
    """Render previous / "page n of m" / next links for ``page`` (nothing when there is one page)."""
    if page is not None:
        number, num_pages = page.number, page.paginator.num_pages
    number, num_pages = int(number or 1), int(num_pages or 1)
    reachable = min(num_pages, int(last)) if last else num_pages
    request = context["request"]
    return {
        "shown": num_pages > 1,
        "number": number,
        "num_pages": num_pages,
        "previous_url": url_with(request, page=number - 1) if number > 1 else None,
        "next_url": url_with(request, page=number + 1) if number < reachable else None,
        "previous_label": previous_label,
        "next_label": next_label,
    }
