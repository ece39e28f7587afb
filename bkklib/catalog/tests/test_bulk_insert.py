"""core.bulk.insert_rows as the MARC import uses it: the same rows bulk_create would write, on both databases."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bkklib.catalog.models import Item, ItemType, Record
from bkklib.core import bulk
from bkklib.network.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_rows_come_back_as_written_with_ids_and_timestamps():
    marc = {"leader": "00000nam a2200000 i 4500", "fields": [{"245": {"ind1": "0", "ind2": "0",
                                                                     "subfields": [{"a": "ลุงบุญมีระลึกชาติ"}]}}]}
    records = [Record(marc=marc, title=f"ลุงบุญมีระลึกชาติ {n}", year=2010 + n, isbns=[f"978000000000{n}"])
               for n in range(3)]
    ids = bulk.insert_rows(Record, records, returning=True, chunk_rows=2)  # two statements

    assert ids == [r.pk for r in records] and len(set(ids)) == 3
    stored = Record.objects.get(pk=ids[1])
    assert stored.marc == marc and stored.title == "ลุงบุญมีระลึกชาติ 1" and stored.isbns == ["9780000000001"]
    assert stored.created_at is not None and stored.created_at == records[1].created_at

    branch = BranchFactory()
    book = ItemType.objects.get_or_create(code="book", defaults={"name_th": "หนังสือ", "name_en": "Book"})[0]
    bulk.insert_rows(Item, [Item(record_id=ids[0], barcode="31000000000777", branch=branch, item_type=book,
                                 price=Decimal("295.50"), acquired_on=date(2024, 5, 1), status=Item.Status.AVAILABLE)])
    item = Item.objects.get(barcode="31000000000777")
    assert (item.price, item.acquired_on, item.branch_id, item.record_id) == (Decimal("295.50"), date(2024, 5, 1),
                                                                              branch.pk, ids[0])


def test_a_constraint_violation_raises_and_writes_nothing_of_that_statement():
    branch = BranchFactory()
    book = ItemType.objects.get_or_create(code="book", defaults={"name_th": "หนังสือ", "name_en": "Book"})[0]
    record = bulk.insert_rows(Record, [Record(marc={"leader": "", "fields": []}, title="x")], returning=True)[0]
    twins = [Item(record_id=record, barcode="31000000000888", branch=branch, item_type=book) for _ in range(2)]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(Item, twins)
    assert not Item.objects.filter(barcode="31000000000888").exists()
