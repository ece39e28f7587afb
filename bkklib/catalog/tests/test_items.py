"""Items: barcodes, statuses kept in step with the search index, and records that cannot be deleted."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bkklib.catalog import queries, services
from bkklib.catalog.exceptions import DuplicateBarcode, InvalidBarcode, InvalidStatus, ItemNotFound, RecordHasItems
from bkklib.catalog.models import Item, ItemType, Record
from bkklib.network.tests.factories import BranchFactory
from bkklib.search import index

from .factories import ItemFactory, ItemTypeFactory, RecordFactory

pytestmark = pytest.mark.django_db


def availability(record_id, branch_code=None):
    value = f"available:{branch_code}" if branch_code else "available"
    return record_id in {h.id for h in index.search("", filters={"availability": [value]}, page_size=500).hits}


def test_item_by_barcode_finds_the_item_with_its_record_and_branch():
    item = ItemFactory(barcode="31000012345678")

    found = queries.item_by_barcode(" 31000012345678 ")

    assert found == item and found.record.title == "ข้างหลังภาพ"


def test_an_unknown_barcode_raises_not_found_with_a_clear_code():
    with pytest.raises(ItemNotFound) as err:
        queries.item_by_barcode("NOPE-0001")

    assert err.value.code == "item_not_found" and err.value.status == 404
    assert "NOPE-0001" in err.value.text


def test_set_item_status_reindexes_availability_in_the_same_transaction():
    item = ItemFactory()
    record_id, code = item.record_id, item.branch.code
    assert availability(record_id) and availability(record_id, code)

    services.set_item_status(item, Item.Status.ON_LOAN)

    assert not availability(record_id) and not availability(record_id, code)
    item.refresh_from_db()
    assert item.status == "on_loan" and item.history.first().history_change_reason


def test_a_rolled_back_status_change_leaves_item_and_index_unchanged():
    item = ItemFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_item_status(item, Item.Status.LOST)
        raise RuntimeError("circulation failed later in its transaction")

    assert Item.objects.get(pk=item.pk).status == "available"
    assert availability(item.record_id)


def test_an_unknown_status_is_refused():
    item = ItemFactory()
    with pytest.raises(InvalidStatus):
        services.set_item_status(item, "borrowed")


def test_the_statuses_are_the_ten_of_the_issue_and_in_processing_of_acquisitions():
    assert Item.Status.values == ["available", "on_loan", "in_transit", "on_hold_shelf", "lost", "missing",
                                  "claims_returned", "damaged", "withdrawn", "in_repair", "in_processing"]


def test_a_barcode_is_unique_in_the_service_and_in_the_database():
    item = ItemFactory(barcode="BK-0001")
    with pytest.raises(DuplicateBarcode):
        services.add_item(item.record, barcode="BK-0001", branch=item.branch, item_type=item.item_type)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(record=item.record, barcode="BK-0001", branch=item.branch, item_type=item.item_type)


@pytest.mark.parametrize("barcode", ["", "12", "has space 123", "ทดสอบ1234", "x" * 40, "-1234"])
def test_malformed_barcodes_are_refused(barcode):
    record = RecordFactory()
    with pytest.raises(InvalidBarcode):
        services.add_item(record, barcode=barcode, branch=BranchFactory(), item_type=ItemTypeFactory())
    assert not Item.objects.exists()


def test_a_negative_price_is_refused_by_the_database():
    item = ItemFactory(price=Decimal("250.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(price=Decimal("-1"))


def test_deleting_a_record_with_items_is_refused_with_a_clear_message():
    item = ItemFactory()
    with pytest.raises(RecordHasItems) as err:
        services.delete_record(item.record)

    assert err.value.code == "record_has_items" and "ข้างหลังภาพ" in err.value.text
    assert Record.objects.filter(pk=item.record_id).exists()


def test_deleting_a_record_without_items_removes_it_from_the_index():
    record = RecordFactory(title="สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช")
    assert [h.id for h in index.search("สี่แผ่นดิน").hits] == [record.pk]

    services.delete_record(record)

    assert index.search("สี่แผ่นดิน").total == 0


def test_default_item_types_are_loaded_for_loan_rules():
    assert {"book", "children", "reference", "magazine", "media"} <= set(ItemType.objects.values_list("code", flat=True))
