"""Names people read for the catalog's codes."""
from django import template

from bkklib.catalog import queries

register = template.Library()


@register.filter
def shelf(code: str) -> str:
    """Show a shelving-location code (GEN, REF, CHILD...) as its name in the page's language."""
    return queries.shelving_location_name(code or "")
