"""The read side of the catalog: look-ups for views, the API and other apps."""
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import translation

from .exceptions import ItemNotFound, RecordNotFound
from .models import SHELVING_NAMES_CACHE_KEY, Item, Record, ShelvingLocation


def item_by_barcode(barcode: str) -> Item:
    """Return the item with ``barcode`` (spaces around it ignored); raise ItemNotFound (code ``item_not_found``)."""
    value = (barcode or "").strip()
    try:
        # The record's MARC is the largest column by far and the desk never needs it.
        return Item.objects.select_related("record", "branch", "item_type").defer("record__marc").get(barcode=value)
    except Item.DoesNotExist:
        raise ItemNotFound(barcode=value or "—") from None


def item_ref(barcode: str) -> Item:
    """Return the item with ``barcode`` with only its keys and status loaded (for verbs that lock it anyway).

    Raise ItemNotFound like ``item_by_barcode``; other fields load on first use.
    """
    value = (barcode or "").strip()
    try:
        return Item.objects.only("pk", "barcode", "record_id", "branch_id", "status").get(barcode=value)
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


# Statuses of items that should be on the shelf during a stocktake.
ON_SHELF = (Item.Status.AVAILABLE,)


@dataclass
class StocktakeReport:
    """What a stocktake found: counts and the items in each group."""

    expected: int
    scanned: int
    missing: list  # expected on these shelves, not scanned
    misplaced: list  # scanned here, but shelved at another location or branch
    unexpected: list  # scanned, but its status says it is not on a shelf (on loan, withdrawn...)
    unknown: list  # barcodes no item has
    found_again: list  # items marked missing that were found


def stocktake_report(stocktake) -> StocktakeReport:
    """Compare what was scanned with what the catalog says should be on the counted shelves."""
    expected = Item.objects.filter(branch=stocktake.branch, status__in=ON_SHELF)
    if stocktake.shelving_location:
        expected = expected.filter(shelving_location=stocktake.shelving_location)
    scans = list(stocktake.scans.select_related("item", "item__record", "item__branch"))
    scanned_ids = {s.item_id for s in scans if s.item_id}
    missing = list(expected.exclude(pk__in=scanned_ids).select_related("record").order_by("call_number", "barcode"))
    misplaced, unexpected, unknown, found_again = [], [], [], []
    for s in scans:
        item = s.item
        if item is None:
            unknown.append(s.barcode)
            continue
        elsewhere = item.branch_id != stocktake.branch_id or (
            stocktake.shelving_location and item.shelving_location != stocktake.shelving_location)
        if item.status == Item.Status.MISSING:
            found_again.append(item)
        elif item.status not in ON_SHELF:
            unexpected.append(item)
        if elsewhere:
            misplaced.append(item)
    return StocktakeReport(expected=expected.count(), scanned=len(scans), missing=missing, misplaced=misplaced,
                           unexpected=unexpected, unknown=unknown, found_again=found_again)


def shelving_location_names() -> dict[str, tuple[str, str]]:
    """Return ``{code: (name_th, name_en)}`` of the named shelving locations (cached; a save clears it)."""
    names = cache.get(SHELVING_NAMES_CACHE_KEY)
    if names is None:
        names = {code: (th, en) for code, th, en in ShelvingLocation.objects.values_list("code", "name_th", "name_en")}
        cache.set(SHELVING_NAMES_CACHE_KEY, names, 3600)
    return names


def shelving_location_name(code: str) -> str:
    """Return the name of shelving location ``code`` in the current language, or the code when it has none."""
    if not code:
        return ""
    names = shelving_location_names().get(code) or shelving_location_names().get(code.upper())
    if names is None:
        return code
    name_th, name_en = names
    return name_en if name_en and translation.get_language() == "en" else name_th
