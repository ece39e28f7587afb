"""Template filters of the spaces pages."""
from django import template

register = template.Library()


@register.filter
def free_slots(cells) -> int:
    """Return how many of a day's grid cells are free."""
    return sum(1 for c in cells if c.state == "free")
