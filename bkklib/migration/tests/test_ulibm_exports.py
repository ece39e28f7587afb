"""The real ULibM exports (UTF-8 and TIS-620) migrate whole: every record accounted for, Thai intact."""
import pytest

from bkklib.catalog.models import Item, Record
from bkklib.migration.services import migrate

ULIBM = ("ulibm__marcexport-all.mrc", "ulibm__marcexport-allth_tis620.mrc")


@pytest.mark.parametrize("name", ULIBM)
def test_every_ulibm_record_is_accounted_for_against_yaz(name, shared_data, branches, yaz_count):
    path = shared_data / "marc" / name
    # yaz-marcdump trusts the TIS-620 file's lengths (computed on the UTF-8 text) and stops after one
    # record ("Premature EOF"); the file holds the same records as its UTF-8 twin, which yaz reads whole.
    expected = yaz_count(shared_data / "marc" / ULIBM[0])
    assert path.read_bytes().count(b"\x1d") == expected
    report = migrate("ulibm", marc=[path], branch="MAIN")
    assert report.read["record"] == expected == 3
    assert report.counts["record"] == {"created": 3, "merged": 0, "skipped": 0, "refused": 0}
    assert report.accounted("record") == expected


def test_the_tis620_export_comes_across_as_thai_with_its_items(shared_data, branches):
    report = migrate("ulibm", marc=[shared_data / "marc" / "ulibm__marcexport-allth_tis620.mrc"], branch="MAIN")
    assert report.counts["record"]["created"] == 3
    titles = sorted(Record.objects.values_list("title", flat=True))
    assert any(t.startswith("คอมพิวเตอร์ช่วยในการออกแบบเรขาคณิตของโครงสร้างเส้นด้าย") for t in titles)
    assert Record.objects.get(control_number="6").authors[0].startswith("อรรถพล อ่อนสาคาม")
    # 945 $i of ULibM: four items (record 7 has two), all at the default branch.
    assert sorted(Item.objects.values_list("barcode", flat=True)) == ["00000001", "00000002", "00000003", "00000004"]
    assert set(Item.objects.values_list("branch__code", flat=True)) == {"MAIN"}
    assert report.counts["item"]["created"] == 4
    repairs = [line.reason for line in report.lines if line.outcome == "repaired"]
    assert any("read as TIS-620" in r for r in repairs)


def test_utf8_and_tis620_exports_of_the_same_records_merge(shared_data, branches):
    first = migrate("ulibm", marc=[shared_data / "marc" / "ulibm__marcexport-all.mrc"], branch="MAIN")
    second = migrate("ulibm", marc=[shared_data / "marc" / "ulibm__marcexport-allth_tis620.mrc"], branch="MAIN")
    assert first.counts["record"]["created"] == 3
    assert second.counts["record"] == {"created": 0, "merged": 3, "skipped": 0, "refused": 0}
    assert second.counts["item"] == {"created": 0, "merged": 4, "skipped": 0, "refused": 0}
    assert Record.objects.count() == 3 and Item.objects.count() == 4
