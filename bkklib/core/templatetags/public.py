"""Template tags of the public website's extension points (core/public.py)."""
from django import template

from .. import public

register = template.Library()


@register.simple_tag(takes_context=True)
def public_links(context):
    """``{% public_links as links %}``: the main-menu links higher apps add (label, url, current)."""
    request = context.get("request")
    return public.public_links(request.path if request is not None else "")
