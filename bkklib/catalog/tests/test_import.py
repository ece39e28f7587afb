"""MARC import: duplicates and the three policies, items from holdings, batches that never half-store."""
import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection

from bkklib.catalog.importer import Importer, import_marc
from bkklib.catalog.marc import writer
from bkklib.catalog.models import ImportJob, Item, Record, RecordIdentifier
from bkklib.core.tests.test_bulk import statistics_targets
from bkklib.network.tests.factories import BranchFactory
from bkklib.search import index

from .factories import ItemFactory, marc_record

pytestmark = pytest.mark.django_db


def iso(*records) -> io.BytesIO:
    return io.BytesIO(b"".join(writer.to_iso2709(r) for r in records))


def holding(barcode, branch_code, **extra):
    subs = [{"a": branch_code}, {"b": branch_code}, {"p": barcode}, {"o": "895.913 ศ"}, {"y": "BOOK"}]
    subs += [{k: v} for k, v in extra.items()]
    return {"952": {"ind1": " ", "ind2": " ", "subfields": subs}}


def test_records_are_created_with_extracted_fields_and_indexed():
    report = import_marc([iso(marc_record("สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช", isbn="974-690-183-4",
                                          control_number="b1"))])

    assert report.created == 1
    record = Record.objects.get()
    assert record.title == "สี่แผ่นดิน" and record.authors == ["คึกฤทธิ์ ปราโมช"]
    assert record.isbns == ["9789746901833"] and record.year == 2015 and record.language == "tha"
    assert [h.id for h in index.search("แผ่นดิน").hits] == [record.pk]
    assert record.import_job is None and record.created_at is not None


def test_a_duplicate_on_003_001_is_skipped_by_default():
    import_marc([iso(marc_record("Old", control_number="b1"))])

    report = import_marc([iso(marc_record("New", control_number="b1"))])

    assert (report.created, report.skipped) == (0, 1)
    assert "matched on 003+001 BKKLIB|b1" in report.text()
    assert list(Record.objects.values_list("title", flat=True)) == ["Old"]


def test_a_duplicate_on_isbn_matches_whatever_form_the_isbn_takes():
    import_marc([iso(marc_record("Book", isbn="0-596-00067-7"))])

    report = import_marc([iso(marc_record("Book again", isbn="978-0-596-00067-7 (pbk.)"))])

    assert report.skipped == 1 and "ISBN 9780596000677" in report.text()


def test_records_of_one_source_that_share_an_isbn_are_not_duplicates_of_each_other():
    # A set's volumes, a reprint, a test file: the source numbers them apart (003 the same, 001 not).
    volumes = [marc_record(f"Volume {n}", isbn="0-596-00067-7", control_number=f"v{n}") for n in (1, 2, 3)]

    first = import_marc([iso(*volumes[:2])])
    again = import_marc([iso(*volumes)])

    assert (first.created, first.skipped) == (2, 0)
    assert (again.created, again.skipped) == (1, 2) and "matched on 003+001 BKKLIB|v1" in again.text()
    # Another source's copy (another 003) or one without 001 is still matched on the ISBN.
    other = marc_record("Volume 1 elsewhere", isbn="0596000677", control_number="o1")
    other["fields"][1] = {"003": "OTHER"}
    report = import_marc([iso(other, marc_record("No 001", isbn="9780596000677"))])
    assert report.skipped == 2 and report.text().count("matched on ISBN 9780596000677") == 2


def test_a_duplicate_on_035_is_found():
    extra = [{"035": {"ind1": " ", "ind2": " ", "subfields": [{"a": "(OCoLC)12345"}]}}]
    import_marc([iso(marc_record("One", extra_fields=extra))])

    report = import_marc([iso(marc_record("Two", extra_fields=extra))])

    assert report.skipped == 1 and "035 (OCoLC)12345" in report.text()


def test_overlay_replaces_the_marc_keeps_the_items_and_reindexes():
    item = ItemFactory(record__title="ignored")
    first = import_marc([iso(marc_record("ชื่อเดิม", control_number="b9"))])
    record = Record.objects.get(pk=first.record_ids[0])
    ItemFactory(record=record, branch=item.branch)

    report = import_marc([iso(marc_record("ชื่อใหม่", control_number="b9"))], on_duplicate="overlay")

    record.refresh_from_db()
    assert report.overlaid == 1 and record.title == "ชื่อใหม่" and record.items.count() == 1
    assert [h.id for h in index.search("ชื่อใหม่").hits] == [record.pk]
    assert index.search("ชื่อเดิม").total == 0
    assert record.history.first().history_change_reason == "MARC import (overlay)"


def test_new_creates_a_second_record_even_when_one_matches():
    import_marc([iso(marc_record("Book", control_number="b1"))])
    report = import_marc([iso(marc_record("Book", control_number="b1"))], on_duplicate="new")
    assert report.created == 1 and Record.objects.count() == 2


def test_duplicates_inside_one_file_are_found_too():
    report = import_marc([iso(marc_record("A", control_number="x"), marc_record("A", control_number="x"))])
    assert (report.created, report.skipped) == (1, 1)


def test_items_come_from_952_holdings_at_the_named_branch():
    branch = BranchFactory(code="b052")
    marc = marc_record("ข้างหลังภาพ", extra_fields=[holding("31000000000017", "B052", g="185.00", d="2022-06-08"),
                                                    holding("31000000000024", "B052", **{"1": "1"})])

    report = import_marc([iso(marc)])

    assert report.items_created == 2
    items = {i.barcode: i for i in Item.objects.all()}
    assert items["31000000000017"].branch == branch and str(items["31000000000017"].price) == "185.00"
    assert items["31000000000017"].item_type.code == "book"
    assert items["31000000000024"].status == Item.Status.LOST
    assert index.search("ข้างหลังภาพ", filters={"branch": ["b052"]}).total == 1


def test_items_of_an_unknown_branch_are_reported_or_go_to_the_branch_given():
    marc = marc_record("Book", extra_fields=[holding("31000000000017", "NOWHERE")])
    report = import_marc([iso(marc)])
    assert report.items_created == 0 and "branch “NOWHERE” is not a bkklib branch" in report.text()

    target = BranchFactory()
    report = import_marc([iso(marc)], branch=target, on_duplicate="new")
    assert Item.objects.get().branch == target


def test_an_item_whose_barcode_exists_is_reported_and_the_record_kept():
    existing = ItemFactory(barcode="31000000000017")
    marc = marc_record("Book", extra_fields=[holding("31000000000017", existing.branch.code)])

    report = import_marc([iso(marc)])

    assert report.created == 1 and report.items_created == 0
    assert "barcode 31000000000017 already exists" in report.text()


def test_a_bad_record_between_good_ones_stops_nothing_and_leaves_nothing_behind():
    good = writer.to_iso2709(marc_record("Good one", control_number="g1"))
    bad = bytearray(writer.to_iso2709(marc_record("Bad one", control_number="b1")))
    bad[bad.index(b"\x1f", 40) + 1] = ord("\xe1".encode("latin-1"))  # a subfield code that is not ASCII
    data = good + bytes(bad) + writer.to_iso2709(marc_record("Good two", control_number="g2"))

    report = import_marc([io.BytesIO(data)], batch_size=2)

    assert (report.created, report.failed) == (2, 1)
    assert sorted(Record.objects.values_list("title", flat=True)) == ["Good one", "Good two"]
    assert not RecordIdentifier.objects.filter(value__endswith="|b1").exists()
    assert index.count() == 2


class FailingImporter(Importer):
    """An importer whose database refuses one record (a real IntegrityError from a duplicate barcode)."""

    def _create(self, batch):
        rows = super()._create(batch)
        for prepared, record_id in rows:
            if prepared.model_fields()["title"] == "Poison":
                item = Item.objects.first()
                Item.objects.create(record_id=record_id, barcode=item.barcode, branch=item.branch,
                                    item_type=item.item_type)
        return rows


def test_a_batch_the_database_refuses_is_replayed_record_by_record():
    ItemFactory()
    importer = FailingImporter(batch_size=10)
    data = iso(marc_record("Fine 1"), marc_record("Poison"), marc_record("Fine 2"))

    report = importer.run(data, name="test.mrc")

    assert (report.created, report.failed) == (2, 1)
    assert "the database refused the record" in report.text()
    titles = set(Record.objects.values_list("title", flat=True))
    assert {"Fine 1", "Fine 2"} <= titles and "Poison" not in titles
    assert index.search("poison").total == 0 and index.search("fine").total == 2


def test_the_job_row_follows_the_import():
    job = ImportJob.objects.create(filename="x.mrc")
    import_marc([iso(*(marc_record(f"Book {n}") for n in range(5)))], job=job, batch_size=2)

    job.refresh_from_db()
    assert (job.read, job.created) == (5, 5)
    assert Record.objects.filter(import_job=job).count() == 5


def test_import_marc_command_prints_the_report_and_writes_it(tmp_path, capsys):
    source = tmp_path / "in.mrc"
    source.write_bytes(iso(marc_record("ลุงบุญมีระลึกชาติ"), marc_record("Moby Dick", language="eng")).getvalue())
    report_file = tmp_path / "report.txt"

    call_command("import_marc", str(source), "--report", str(report_file), verbosity=0)

    out = capsys.readouterr().out
    assert "สรุป: อ่าน 2 สร้าง 2" in out and "ระเบียน/วินาที" in out  # Thai unless told otherwise
    assert report_file.read_text("utf-8") == out
    Record.objects.all().delete()
    call_command("import_marc", str(source), "--language", "en", "--quiet-report", verbosity=0)
    out = capsys.readouterr().out
    assert "summary: read 2, created 2" in out and "records/s" in out and "#1" not in out


def test_import_marc_command_refuses_unimarc_and_unknown_branches(tmp_path):
    from django.core.management.base import CommandError

    from .marcfiles import path

    with pytest.raises(CommandError, match="UNIMARC"):
        call_command("import_marc", str(path("pymarc__testunimarc.dat")), verbosity=0)
    with pytest.raises(CommandError, match="no branch"):
        call_command("import_marc", str(path("pymarc__one.dat")), "--branch", "nope", verbosity=0)
    assert not Record.objects.exists()


def test_search_and_export_commands(tmp_path, capsys):
    import_marc([iso(marc_record("สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช"), marc_record("Moby Dick", language="eng"))])

    call_command("search", "แผ่นดิน", "--json", "--facets")
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == 1 and result["hits"][0]["title"] == "สี่แผ่นดิน"
    assert ["tha", 1] in result["facets"]["language"]

    call_command("export_marc", str(tmp_path / "out.xml"), "--format", "marcxml", "--query", "moby", verbosity=0)
    assert (tmp_path / "out.xml").read_text("utf-8").count("<record>") == 1
    call_command("rebuild_index", verbosity=0)
    assert index.count() == 2


def test_an_unknown_encoding_is_reported_not_raised():
    report = import_marc([iso(marc_record("x"))], encoding="klingon-8")
    assert report.read == 0 and "unknown encoding" in report.text()


def test_integrity_errors_are_database_errors():
    assert issubclass(IntegrityError, DatabaseError)  # the batch fallback relies on it


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL's planner")
@pytest.mark.django_db
def test_analyze_skips_the_marc_record_and_its_json_lists():
    record, item = statistics_targets("catalog_record"), statistics_targets("catalog_item")
    assert all(record[name] == 0 for name in ("marc", "authors", "isbns", "subjects", "series", "vernacular",
                                               "responsibility"))
    assert all(record[name] in (-1, None) for name in ("id", "year", "language", "control_number", "title"))
    assert item["notes"] == 0 and item["barcode"] in (-1, None) and item["record_id"] in (-1, None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's session settings")
def test_the_postgresql_import_session_is_tuned_and_put_back():
    before = {}
    with connection.cursor() as cursor:
        for name in ("gin_pending_list_limit", "work_mem"):
            cursor.execute(f"SHOW {name}")
            before[name] = cursor.fetchone()[0]

    assert import_marc([iso(marc_record("บันทึก", control_number="s1"))]).created == 1

    with connection.cursor() as cursor:
        for name, value in before.items():
            cursor.execute(f"SHOW {name}")
            assert cursor.fetchone()[0] == value, name
