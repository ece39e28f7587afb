"""An import prepared in helper processes stores exactly what the same import does in one process."""
import io

import pytest

from bkklib.catalog import importer
from bkklib.catalog.marc import writer
from bkklib.catalog.models import Item, Record, RecordIdentifier
from bkklib.core import processes
from bkklib.network.tests.factories import BranchFactory
from bkklib.search.models import SearchDoc

from .factories import ItemTypeFactory, marc_record

pytestmark = pytest.mark.django_db(transaction=True)


def catalog_file(branch_code: str) -> bytes:
    records = []
    for n in range(1, 31):
        holdings = [{"952": {"ind1": " ", "ind2": " ", "subfields": [
            {"a": branch_code}, {"b": branch_code}, {"p": f"3100{n:06d}"}, {"y": "BOOK"}, {"g": "250.00"},
            {"d": "2024-06-08"}] + ([{"4": "1"}] if n % 5 == 0 else [])}}]
        if n == 7:  # a barcode another record of the file already has: the item is refused, the record kept
            holdings[0]["952"]["subfields"][2] = {"p": "3100000001"}
        if n == 9:
            holdings[0]["952"]["subfields"][2] = {"p": "bad barcode!"}
        title = f"ประวัติศาสตร์ไทย เล่ม {n}" if n % 2 else f"Thai history volume {n}"
        records.append(writer.to_iso2709(marc_record(title, isbn="974-690-183-4" if n in (3, 4) else None,
                                                     control_number="p3" if n == 4 else f"p{n}",  # a duplicate
                                                     extra_fields=holdings)))
    good = b"".join(records)
    broken = b"00050nam  2200025   4500\x1e\x1d"  # a record that cannot be read: reported, never stops the rest
    return good[: len(good) // 2] + broken + good[len(good) // 2:]


def snapshot():
    records = list(Record.objects.order_by("control_number").values_list(
        "control_number", "title", "authors", "isbns", "year", "language", "marc", "is_demo"))
    items = list(Item.objects.order_by("barcode").values_list("barcode", "record__control_number", "status", "price",
                                                               "acquired_on", "branch__code"))
    keys = sorted(RecordIdentifier.objects.values_list("record__control_number", "kind", "value"))
    by_id = dict(Record.objects.values_list("pk", "control_number"))
    docs = sorted((by_id[d[0]], *d[1:]) for d in SearchDoc.objects.values_list(
        "id", "title", "title_x", "author", "subject", "rest", "keys", "facets", "year"))
    return records, items, keys, docs


def run_import(data: bytes):
    report = importer.import_marc([io.BytesIO(data)], batch_size=8)
    return report, snapshot()


def clear():
    Item.objects.all().delete()
    RecordIdentifier.objects.all().delete()
    for record in Record.objects.all():
        record.delete()
    SearchDoc.objects.all().delete()


def test_helper_processes_store_what_one_process_stores(monkeypatch):
    branch = BranchFactory(code="PAR1")
    ItemTypeFactory(code="book")
    data = catalog_file(branch.code)
    monkeypatch.setenv("BKKLIB_WORKERS", "0")
    serial_report, serial = run_import(data)
    clear()

    monkeypatch.setenv("BKKLIB_WORKERS", "2")
    monkeypatch.setattr(importer, "PARALLEL_FROM", 10)
    monkeypatch.setattr(importer, "CHUNK", 4)
    parallel_report, parallel = run_import(data)

    assert processes.pool() is not None  # the helpers did the reading and preparing
    assert parallel == serial
    assert parallel_report.text().split("summary:")[0] == serial_report.text().split("summary:")[0]
    assert (parallel_report.read, parallel_report.created, parallel_report.skipped, parallel_report.failed) == (
        31, 29, 1, 1)
    assert "barcode 3100000001 already exists" in parallel_report.text()
    assert "“bad barcode!” is not valid" in parallel_report.text()
    # The facets of a record whose item was refused come from the database, not from the file.
    seventh = Record.objects.get(control_number="p7")
    assert "branch\tPAR1" not in SearchDoc.objects.get(pk=seventh.pk).facets
    assert Item.objects.filter(record__control_number="p5", status="damaged").exists()
