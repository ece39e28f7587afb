"""The read side of the catalog: look-ups for views, the API and other apps."""
from django.db.models import QuerySet

from .exceptions import ItemNotFound, RecordNotFound
from .models import Item, Record


def item_by_barcode(barcode: str) -> Item:
    """Return the item with ``barcode`` (spaces around it ignored); raise ItemNotFound (code ``item_not_found``)."""
    value = (barcode or "").strip()
    try:
        return Item.objects.select_related("record", "branch", "item_type").get(barcode=value)
    except Item.DoesNotExist:
        raise ItemNotFound(barcode=value or "—") from None


def record_by_id(record_id) -> Record:
    """Return the record ``record_id``; raise RecordNotFound (code ``record_not_found``)."""
    try:
        return Record.objects.get(pk=int(record_id))
    except (Record.DoesNotExist, TypeError, ValueError):
        raise RecordNotFound(id=record_id) from None


def items_of(record: Record) -> QuerySet[Item]:
    """Return the items of ``record`` with their branch and type, by branch then barcode."""
    return record.items.select_related("branch", "item_type").order_by("branch__code", "barcode")


def records_in_order(ids: list[int]) -> list[Record]:
    """Return the records ``ids`` in the given order (ids that no longer exist are left out)."""
    by_id = Record.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
