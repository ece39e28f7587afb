"""Template helpers of the public website: bilingual fields with correct ``lang``, hours, distances."""
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from bkklib.core.templatetags.pages import url_with

register = template.Library()


def _english() -> bool:
    return (translation.get_language() or "th").startswith("en")


@register.filter
def bi(obj, field):
    """Show ``<field>_en`` on English pages when filled, else ``<field>_th``.

    Thai text on an English page is wrapped in ``<span lang="th">`` so screen readers switch
    voice (WCAG 3.1.2 language of parts).
    """
    if obj is None:
        return ""
    thai = getattr(obj, f"{field}_th", "") or ""
    if _english():
        english = getattr(obj, f"{field}_en", "") or ""
        if english:
            return english
        return format_html('<span lang="th">{}</span>', thai) if thai else ""
    return thai


@register.filter
def hhmm(value):
    """Format a time as ``09.00`` (Thai usage) or ``09:00`` (English)."""
    if not value:
        return ""
    return value.strftime("%H:%M") if _english() else value.strftime("%H.%M")


@register.filter
def km(value):
    """Format a distance in kilometres: ``850 m`` below one kilometre, else ``3.2 km``."""
    if value is None:
        return ""
    if value < 1:
        return f"{round(value * 1000, -1):.0f} m" if _english() else f"{round(value * 1000, -1):.0f} ม."
    return f"{value:.1f} km" if _english() else f"{value:.1f} กม."


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with ``changes`` applied (empty values remove a key)."""
    return url_with(context["request"], **changes)


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """Render ``data`` as a ``<script type="application/ld+json">`` block, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped above)
