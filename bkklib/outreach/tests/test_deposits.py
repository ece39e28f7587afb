"""Deposit collections: items out at a reading house are lent only there, never at the library."""
from datetime import date

import pytest
from django.db import IntegrityError

from bkklib.catalog.models import Item
from bkklib.circulation import services as circulation
from bkklib.circulation.exceptions import ItemNotAvailable
from bkklib.outreach import services
from bkklib.outreach.exceptions import DepositRefused, ItemNotDepositable
from bkklib.outreach.models import DepositCollection, DepositItem

from .conftest import at
from .factories import ReadingHouseFactory


def test_items_of_a_deposit_are_never_lendable_at_the_library_while_out(house):
    item = house.items[0]
    # Received at the reading house: located there and available, but the library desk refuses it.
    assert item.branch_id == house.house.pk and item.status == Item.Status.AVAILABLE
    with pytest.raises(ItemNotAvailable) as refused:
        circulation.checkout(item=item, patron=house.patron, staff=house.librarian, desk=house.library, now=at(3, 10))
    assert refused.value.code == "item_at_outpost"
    assert "บ้านหนังสือชุมชนวัดลาดปลาดุก" in refused.value.text
    # At the reading house it is lent.
    loan = circulation.checkout(item=item, patron=house.patron, staff=house.volunteer, desk=house.house,
                                now=at(3, 10))
    assert loan.branch_id == house.house.pk


def test_items_in_transit_to_or_from_the_house_cannot_be_lent_anywhere(house):
    deposit = DepositCollection.objects.get(code="dep-1")
    services.recall_deposit(deposit=deposit, by=house.librarian, now=at(10, 9))
    item = Item.objects.get(pk=house.items[1].pk)
    assert item.status == Item.Status.IN_TRANSIT
    for desk, staff in ((house.library, house.librarian), (house.house, house.volunteer)):
        with pytest.raises(ItemNotAvailable):
            circulation.checkout(item=item, patron=house.patron, staff=staff, desk=desk, now=at(10, 10))


def test_returned_deposit_makes_the_items_lendable_at_home_again(house):
    deposit = DepositCollection.objects.get(code="dep-1")
    services.recall_deposit(deposit=deposit, by=house.librarian, now=at(10, 9))
    services.return_deposit(deposit=deposit, by=house.librarian, now=at(11, 9))
    item = Item.objects.get(pk=house.items[0].pk)
    assert (item.branch_id, item.status) == (house.library.pk, Item.Status.AVAILABLE)
    assert not DepositItem.objects.filter(is_out=True).exists()
    circulation.checkout(item=item, patron=house.patron, staff=house.librarian, desk=house.library, now=at(11, 10))


def test_a_deposit_cannot_come_home_while_an_item_is_on_loan_there(house):
    circulation.checkout(item=house.items[0], patron=house.patron, staff=house.volunteer, desk=house.house,
                         now=at(3, 10))
    deposit = DepositCollection.objects.get(code="dep-1")
    services.recall_deposit(deposit=deposit, by=house.librarian, now=at(10, 9))
    with pytest.raises(DepositRefused) as refused:
        services.return_deposit(deposit=deposit, by=house.librarian, now=at(11, 9))
    assert house.items[0].barcode in refused.value.text
    assert DepositCollection.objects.get(code="dep-1").status == DepositCollection.Status.RECALLED


def test_an_item_is_out_in_one_deposit_only(house):
    other = ReadingHouseFactory()
    with pytest.raises(ItemNotDepositable):
        services.create_deposit(code="dep-2", from_branch=house.house, reading_house=other,
                                due_back_on=date(2025, 9, 30), barcodes=[house.items[0].barcode], by=house.librarian)
    assert not DepositCollection.objects.filter(code="dep-2").exists()
    entry = DepositItem.objects.get(item=house.items[0])
    with pytest.raises(IntegrityError):
        DepositItem.objects.create(collection=entry.collection, item=house.items[0], home_branch=house.library)
