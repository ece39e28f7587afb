"""The catalogue's figures for the dashboard (core/indicators.py): items added to the collection."""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bkklib.core.indicators import Figure, Indicator, day_bounds

from .models import Item

INDICATORS = [
    Indicator(
        key="catalog.items_added", name=_("Items added"), unit=_("items"),
        definition=_("Copies added to a branch's collection, by the day the item was entered in Bangkok time and "
                     "the item type; withdrawn copies still count on the day they were added."),
        daily="bkklib.catalog.indicators.items_added_on", dimensions=("item_type",),
    ),
]


def items_added_on(day):
    start, end = day_bounds(day)
    rows = (Item.objects.filter(created_at__gte=start, created_at__lt=end)
            .values("branch_id", "item_type__code").annotate(n=Count("pk")).order_by())
    return [Figure.of(r["n"], r["branch_id"], item_type=r["item_type__code"]) for r in rows]
