"""Template helpers of the e-library."""
from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``{{ avail|get:title.pk }}``: a dict's value in a template."""
    return mapping.get(key) if mapping else None
