"""The catalog's verbs: save, copy and delete records; add, change and re-status items.

Every verb changes the database and the search index in one transaction (the search contract, docs/api/search.md), and
records who did it (django-simple-history). Bulk MARC import lives in ``importer``.
"""
from copy import deepcopy
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import history
from bkklib.network import access

from . import indexing
from .exceptions import DuplicateBarcode, InvalidBarcode, InvalidMarc, InvalidStatus, RecordHasItems
from .marc import validate
from .marc.extract import extract, identifiers
from .marc.messages import translated
from .models import Item, Record, RecordIdentifier, Stocktake, StocktakeScan, Withdrawal, barcode_validator

ITEM_FIELDS = ("barcode", "branch", "shelving_location", "call_number", "item_type", "price", "acquired_on", "notes")


def _audit(instance, user, reason: str = ""):
    """Tell django-simple-history who made the change and why (``bkklib.core.history.audit``)."""
    return history.audit(instance, user, reason)


def _write_identifiers(record: Record, keys: list[tuple[str, str]]) -> None:
    RecordIdentifier.objects.filter(record=record).delete()
    RecordIdentifier.objects.bulk_create(
        [RecordIdentifier(record=record, kind=kind, value=value) for kind, value in dict.fromkeys(keys)]
    )


def save_record(marc: dict, *, record: Record | None = None, user=None, reason: str = "") -> Record:
    """Create a record from MARC-in-JSON, or replace ``record``'s MARC; re-derive its fields and reindex it.

    Raise InvalidMarc (code ``invalid_marc``) naming the field when the MARC cannot be stored.
    """
    found = validate.problems(marc)
    if found:
        raise InvalidMarc(reason="; ".join(translated(p.message) for p in found[:5]), field=found[0].tag or None)
    marc = validate.normalise(marc)
    ex = extract(marc)
    with transaction.atomic():
        if record is None:
            record = Record(marc=marc, created_by=user if getattr(user, "is_authenticated", False) else None,
                            **ex.model_fields())
        else:
            record.marc = marc
            for name, value in ex.model_fields().items():
                setattr(record, name, value)
        _audit(record, user, reason)
        record.save()
        _write_identifiers(record, identifiers(ex))
        indexing.reindex([record.pk])
    return record


def copy_record(record: Record, *, user=None) -> Record:
    """Create a new record from ``record``'s MARC, without its identity (001, 003, 005, 035) or holdings."""
    marc = deepcopy(record.marc)
    marc["fields"] = [f for f in marc["fields"] if next(iter(f)) not in ("001", "003", "005", "035", "852", "952")]
    return save_record(marc, user=user, reason=_("copied from record {id}").format(id=record.pk))


def delete_record(record: Record, *, user=None) -> None:
    """Delete ``record`` and its index document; refuse (``record_has_items``) while it has items."""
    with transaction.atomic():
        count = record.items.count()
        if count:
            raise RecordHasItems(id=record.pk, title=record.title, count=count)
        record_id = record.pk
        _audit(record, user, _("deleted"))
        record.delete()
        indexing.reindex([record_id])


def check_barcode(barcode: str, *, exclude_item: Item | None = None) -> str:
    """Return ``barcode`` stripped; raise InvalidBarcode or DuplicateBarcode when it cannot be used."""
    value = (barcode or "").strip()
    try:
        barcode_validator(value)
    except ValidationError:
        raise InvalidBarcode(barcode=value, field="barcode") from None
    taken = Item.objects.filter(barcode=value)
    if exclude_item is not None and exclude_item.pk:
        taken = taken.exclude(pk=exclude_item.pk)
    if taken.exists():
        raise DuplicateBarcode(barcode=value, field="barcode")
    return value


def add_item(record: Record, *, barcode: str, branch, item_type, user=None, **fields) -> Item:
    """Add an item of ``record`` at ``branch``; staff may add items only at their own branches."""
    if user is not None:
        access.require(user, "catalog.add_item", at=branch)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    with transaction.atomic():
        item = Item(record=record, barcode=check_barcode(barcode), branch=branch, item_type=item_type,
                    status_changed_at=timezone.now(), **fields)
        item.full_clean(exclude=["record", "branch", "item_type", "barcode"])
        _audit(item, user)
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:  # a concurrent add took the barcode between the check and the insert
            raise DuplicateBarcode(barcode=item.barcode, field="barcode") from None
        indexing.reindex([record.pk])
    return item


def update_item(item: Item, *, user=None, reason: str = "", **changes) -> Item:
    """Change an item's fields (not its status: see ``set_item_status``); scoped to the staff's branches."""
    unknown = set(changes) - set(ITEM_FIELDS) - {"record"}
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if user is not None:
        access.require(user, "catalog.change_item", at=item.branch)
        if "branch" in changes and changes["branch"] != item.branch:
            access.require(user, "catalog.change_item", at=changes["branch"])
    old_record_id = item.record_id
    with transaction.atomic():
        if "barcode" in changes:
            changes["barcode"] = check_barcode(changes["barcode"], exclude_item=item)
        for name, value in changes.items():
            setattr(item, name, value)
        item.full_clean(exclude=["record", "branch", "item_type", "barcode"])
        _audit(item, user, reason)
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            raise DuplicateBarcode(barcode=item.barcode, field="barcode") from None
        indexing.reindex({old_record_id, item.record_id})
    return item


# Statuses staff set by hand on an item (item form, API); loans, holds and transits belong to
# circulation, withdrawal to its approval.
STAFF_STATUSES = (Item.Status.AVAILABLE, Item.Status.MISSING, Item.Status.DAMAGED, Item.Status.IN_REPAIR,
                  Item.Status.LOST, Item.Status.IN_PROCESSING)


def set_item_status_by_hand(item: Item, status: str, *, user=None) -> Item:
    """Staff set ``item``'s status by hand: only one of ``STAFF_STATUSES``; raise InvalidStatus naming it."""
    if status not in Item.Status.values:
        raise InvalidStatus(status=status, field="status")
    if status not in STAFF_STATUSES:
        raise InvalidStatus(status=Item.Status(status).label, field="status",
                            message=_("“{status}” is set by circulation or withdrawal, not directly."))
    return set_item_status(item, status, user=user)


def set_item_status(item: Item, status: str, *, user=None, now: datetime | None = None, note: str = "") -> Item:
    """Set ``item``'s status and reindex its record's availability in the same transaction.

    Circulation calls this for every loan, return, hold and transit; it is not branch-scoped
    (any item may be lent or returned at any desk). Raise InvalidStatus for an unknown status.
    """
    if status not in Item.Status.values:
        raise InvalidStatus(status=status, field="status")
    with transaction.atomic(savepoint=False):  # a failure here fails the caller's whole transaction
        item.status = status
        item.status_changed_at = now or timezone.now()
        _audit(item, user, note or _("status: {status}").format(status=Item.Status(status).label))
        item.save(update_fields=["status", "status_changed_at", "updated_at"])
        indexing.reindex([item.record_id])
    return item


# --- stocktake ----------------------------------------------------------------------------------

def start_stocktake(*, branch, user, shelving_location: str = "", note: str = "") -> Stocktake:
    """Open a stocktake of ``branch`` (one shelving location, or the whole branch)."""
    access.require(user, "catalog.add_stocktake", at=branch)
    return Stocktake.objects.create(branch=branch, shelving_location=shelving_location.strip(), note=note,
                                    started_by=user)


def scan(stocktake, barcode: str, *, user) -> StocktakeScan:
    """Record that ``barcode`` was found on the shelf; scanning the same barcode again changes nothing."""
    from .exceptions import StocktakeClosed

    access.require(user, "catalog.change_stocktake", at=stocktake.branch)
    if stocktake.status != stocktake.Status.OPEN:
        raise StocktakeClosed(id=stocktake.pk)
    value = (barcode or "").strip()
    try:
        barcode_validator(value)
    except ValidationError:
        raise InvalidBarcode(barcode=value, field="barcode") from None
    item = Item.objects.filter(barcode=value).first()
    found, _created = StocktakeScan.objects.get_or_create(
        stocktake=stocktake, barcode=value, defaults={"item": item, "scanned_by": user})
    return found


def close_stocktake(stocktake, *, user, mark_missing: bool = False, now: datetime | None = None) -> int:
    """Close a stocktake; optionally mark the items expected but not found as missing, and found ones available.

    Return the number of items marked missing.
    """
    from . import queries
    from .exceptions import StocktakeClosed

    access.require(user, "catalog.change_stocktake", at=stocktake.branch)
    with transaction.atomic():
        locked = type(stocktake).objects.select_for_update().get(pk=stocktake.pk)
        if locked.status != locked.Status.OPEN:
            raise StocktakeClosed(id=stocktake.pk)
        report = queries.stocktake_report(locked)
        marked = 0
        if mark_missing:
            note = _("not found in stocktake {id}").format(id=locked.pk)
            for item in report.missing:
                set_item_status(item, Item.Status.MISSING, user=user, now=now, note=note)
                marked += 1
            for item in report.found_again:
                set_item_status(item, Item.Status.AVAILABLE, user=user, now=now,
                                note=_("found in stocktake {id}").format(id=locked.pk))
        locked.status = locked.Status.CLOSED
        locked.closed_at = now or timezone.now()
        locked.closed_by = user
        locked.missing_marked = marked
        locked.save()
    stocktake.refresh_from_db()
    return marked


# --- withdrawal ---------------------------------------------------------------------------------

NOT_WITHDRAWABLE = {Item.Status.ON_LOAN, Item.Status.ON_HOLD_SHELF, Item.Status.IN_TRANSIT, Item.Status.WITHDRAWN}


def request_withdrawal(item: Item, *, reason: str, disposal: str, user, note: str = "") -> Withdrawal:
    """Ask for ``item`` to be withdrawn; refused while it is lent, held, in transit, withdrawn or already asked."""
    from .exceptions import WithdrawalRefused

    access.require(user, "catalog.add_withdrawal", at=item.branch)
    if item.status in NOT_WITHDRAWABLE:
        raise WithdrawalRefused(barcode=item.barcode, reason=Item.Status(item.status).label)
    if reason == Withdrawal.Reason.OTHER and not note.strip():
        raise WithdrawalRefused(barcode=item.barcode, reason=_("say why in the note"), field="note")
    try:
        with transaction.atomic():
            return Withdrawal.objects.create(item=item, reason=reason, disposal=disposal, note=note, requested_by=user)
    except IntegrityError:
        raise WithdrawalRefused(barcode=item.barcode, reason=_("a request is already awaiting approval")) from None


def decide_withdrawal(withdrawal, *, approve: bool, user, note: str = "", now: datetime | None = None):
    """Approve (the item becomes withdrawn) or reject a request; the requester may not decide their own."""
    from .exceptions import WithdrawalRefused

    access.require(user, "catalog.approve_withdrawal", at=withdrawal.item.branch)
    with transaction.atomic():
        locked = type(withdrawal).objects.select_for_update().select_related("item").get(pk=withdrawal.pk)
        if locked.status != locked.Status.PENDING:
            raise WithdrawalRefused(barcode=locked.item.barcode, reason=_("it has already been decided"))
        if locked.requested_by_id == user.pk:
            raise WithdrawalRefused(barcode=locked.item.barcode,
                                    reason=_("another person must approve a request you made"))
        if approve and locked.item.status in NOT_WITHDRAWABLE:
            raise WithdrawalRefused(barcode=locked.item.barcode, reason=Item.Status(locked.item.status).label)
        locked.status = locked.Status.APPROVED if approve else locked.Status.REJECTED
        locked.decided_by = user
        locked.decided_at = now or timezone.now()
        locked.decision_note = note[:500]
        _audit(locked, user)
        locked.save()
        if approve:
            reason = _("withdrawn: {reason}").format(reason=locked.get_reason_display())
            set_item_status(locked.item, Item.Status.WITHDRAWN, user=user, now=now, note=reason)
    withdrawal.refresh_from_db()
    return withdrawal
