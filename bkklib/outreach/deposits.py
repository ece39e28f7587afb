"""Deposit collections: prepare, send, receive, recall and take back a reading house's loan of items (see services)."""
from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Item
from bkklib.core.history import audit
from bkklib.network.models import Branch

from ._common import _now, _require
from .exceptions import DepositRefused, ItemNotDepositable, NotAReadingHouse
from .models import DepositCollection, DepositItem

# --- Deposit collections --------------------------------------------------------------------------

def create_deposit(*, code: str, from_branch: Branch, reading_house: Branch, due_back_on: date, barcodes, by,
                   notes: str = "") -> DepositCollection:
    """Prepare a deposit collection of the items ``barcodes`` (at ``from_branch``, available)."""
    _require(by, "outreach.add_depositcollection", at=from_branch)
    if reading_house.kind != Branch.Kind.READING_HOUSE or reading_house.pk == from_branch.pk:
        raise NotAReadingHouse(branch=reading_house.name_th, field="reading_house")
    barcodes = [b.strip() for b in barcodes if b and b.strip()]
    if not barcodes:
        raise ItemNotDepositable(barcode="—", reason=_("the collection has no items."), field="barcodes")
    items = {i.barcode: i for i in Item.objects.filter(barcode__in=barcodes)}
    with transaction.atomic():
        deposit = DepositCollection(code=code, from_branch=from_branch, reading_house=reading_house,
                                    due_back_on=due_back_on, notes=notes)
        audit(deposit, by)
        deposit.save()
        for barcode in dict.fromkeys(barcodes):
            item = items.get(barcode)
            if item is None:
                raise ItemNotDepositable(barcode=barcode, reason=_("no item has this barcode."), field="barcodes")
            if item.branch_id != from_branch.pk:
                raise ItemNotDepositable(barcode=barcode, reason=_("it belongs to another branch."),
                                         field="barcodes")
            if item.status != Item.Status.AVAILABLE:
                raise ItemNotDepositable(barcode=barcode, reason=item.get_status_display(), field="barcodes")
            try:
                with transaction.atomic():
                    DepositItem.objects.create(collection=deposit, item=item, home_branch=item.branch)
            except IntegrityError:
                raise ItemNotDepositable(barcode=barcode, reason=_("it is already out in another deposit."),
                                         field="barcodes") from None
    return deposit


def _step(deposit: DepositCollection, by, *, expect: tuple[str, ...], to: str, stamp: str, now: datetime,
          at: Branch) -> DepositCollection:
    _require(by, "outreach.change_depositcollection", at=at)
    deposit = DepositCollection.objects.select_for_update().get(pk=deposit.pk)
    if deposit.status not in expect:
        raise DepositRefused(_("Deposit {deposit} is “{status}”: this step is not possible now.").format(
            deposit=deposit.code, status=deposit.get_status_display()), code="deposit_wrong_status")
    deposit.status = to
    setattr(deposit, stamp, now)
    audit(deposit, by, DepositCollection.Status(to).label)
    deposit.save()
    return deposit


def _out_items(deposit: DepositCollection):
    return Item.objects.select_for_update().filter(pk__in=deposit.entries.filter(is_out=True).values("item_id"))


def send_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """Send a prepared collection: its items are in transit, located at the reading house they go to."""
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.DRAFT,), to=DepositCollection.Status.SENT,
                        stamp="sent_at", now=now, at=deposit.from_branch)
        for item in _out_items(deposit):
            if item.status != Item.Status.AVAILABLE:
                raise ItemNotDepositable(barcode=item.barcode, reason=item.get_status_display(), field="barcodes")
            catalog_services.update_item(item, reason=_("deposit {code}").format(code=deposit.code),
                                         branch=deposit.reading_house)
            catalog_services.set_item_status(item, Item.Status.IN_TRANSIT, user=by, now=now,
                                             note=_("sent to {place}").format(place=deposit.reading_house.name_th))
    return deposit


def receive_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """The reading house received the collection: its items are available there (and only there)."""
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.SENT,), to=DepositCollection.Status.RECEIVED,
                        stamp="received_at", now=now, at=deposit.reading_house)
        for item in _out_items(deposit):
            if item.status == Item.Status.IN_TRANSIT:
                catalog_services.set_item_status(item, Item.Status.AVAILABLE, user=by, now=now,
                                                 note=_("received at {place}").format(place=deposit.reading_house.name_th))
    return deposit


def recall_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """Call the collection back: no more loans at the reading house; the items on the shelf travel back."""
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.RECEIVED, DepositCollection.Status.SENT),
                        to=DepositCollection.Status.RECALLED, stamp="recalled_at", now=now, at=deposit.from_branch)
        for item in _out_items(deposit):
            if item.status == Item.Status.AVAILABLE:
                catalog_services.set_item_status(item, Item.Status.IN_TRANSIT, user=by, now=now,
                                                 note=_("recalled from {place}").format(
                                                     place=deposit.reading_house.name_th))
    return deposit


def return_deposit(*, deposit: DepositCollection, by, now: datetime | None = None) -> DepositCollection:
    """The library received the collection back: its items are home and available again.

    Refused while an item is still on loan from the reading house (return or renew it first).
    """
    now, _today = _now(now)
    with transaction.atomic():
        deposit = _step(deposit, by, expect=(DepositCollection.Status.RECALLED,), to=DepositCollection.Status.RETURNED,
                        stamp="returned_at", now=now, at=deposit.from_branch)
        items = list(_out_items(deposit))
        on_loan = [i.barcode for i in items if i.status == Item.Status.ON_LOAN]
        if on_loan:
            raise DepositRefused(_("Items still on loan from the reading house: {barcodes}. They must be returned "
                                   "first.").format(barcodes=", ".join(sorted(on_loan))), code="deposit_items_on_loan")
        homes = dict(deposit.entries.filter(is_out=True).values_list("item_id", "home_branch_id"))
        branches = Branch.objects.in_bulk(set(homes.values()))
        for item in items:
            catalog_services.update_item(item, reason=_("deposit {code} returned").format(code=deposit.code),
                                         branch=branches[homes[item.pk]])
            if item.status in (Item.Status.IN_TRANSIT, Item.Status.AVAILABLE):
                catalog_services.set_item_status(item, Item.Status.AVAILABLE, user=by, now=now,
                                                 note=_("back from {place}").format(place=deposit.reading_house.name_th))
        deposit.entries.update(is_out=False)
    return deposit


def recalled_deposit_of(item_id: int) -> DepositCollection | None:
    entry = (DepositItem.objects.filter(item_id=item_id, is_out=True,
                                        collection__status=DepositCollection.Status.RECALLED)
             .select_related("collection").first())
    return entry.collection if entry else None
