"""``num``: a figure as the reports print it (1,234 · 12.5 · – for none), the same on pages and in PDFs."""
from django import template

from ..document import fmt

register = template.Library()


@register.filter
def num(value):
    return fmt(value)
