"""Template filters of the events app."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key``: a dict look-up in a template (None when missing)."""
    return mapping.get(key) if mapping else None
