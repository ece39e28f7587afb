"""A Koha library moves: MARC with 952 items, borrowers and current issues; a second run merges."""
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bkklib.catalog.models import Item, Record
from bkklib.circulation.models import Loan, Patron
from bkklib.migration.services import migrate

from .exports import koha_borrowers, koha_issues, koha_marc

NOW = datetime(2025, 6, 3, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
BORROWERS = [
    {"borrowernumber": "1", "cardnumber": "K0001", "surname": "ใจดี", "firstname": "สมชาย", "branchcode": "CPL",
     "categorycode": "PT", "dateofbirth": "1980-02-01", "email": "somchai@example.org", "dateexpiry": "2026-01-31",
     "address": "12 ถนนราชดำเนิน", "city": "กรุงเทพฯ"},
    {"borrowernumber": "2", "cardnumber": "K0002", "surname": "Smith", "firstname": "Anna", "branchcode": "bkn",
     "categorycode": "ST", "dateofbirth": "not a date", "email": "anna@"},
    {"borrowernumber": "3", "cardnumber": "K0003", "surname": "ไม่มีหมวด", "firstname": "ทดสอบ", "branchcode": "CPL",
     "categorycode": "XX"},
    {"borrowernumber": "4", "cardnumber": "K0004", "surname": "นอกเครือข่าย", "firstname": "ทดสอบ",
     "branchcode": "FAR", "categorycode": "PT"},
    {"borrowernumber": "5", "cardnumber": "", "surname": "ไม่มีบัตร", "firstname": "ทดสอบ", "branchcode": "CPL",
     "categorycode": "PT"},
]
ISSUES = [
    ("390000000010", "K0001", "2025-05-20 14:03:00", "2025-06-10"),
    ("390000000030", "K0002", "21/05/2568", "11/06/2568"),  # Buddhist Era, day first
    ("390000000040", "K0009", "2025-05-21", "2025-06-11"),  # no such card
    ("NOSUCHBARCODE", "K0001", "2025-05-21", "2025-06-11"),  # no such item
    ("390000000060", "K0001", "2025-05-22", ""),  # no due date
]


@pytest.fixture
def exports(tmp_path):
    (tmp_path / "koha.mrc").write_bytes(koha_marc(40, branches=("CPL", "BKN", "FAR")))
    (tmp_path / "borrowers.csv").write_bytes(koha_borrowers(BORROWERS))
    (tmp_path / "issues.csv").write_bytes(koha_issues(ISSUES))
    (tmp_path / "map.json").write_text(json.dumps({
        "branches": {"CPL": "MAIN"}, "item_types": {"BK": "book"},
        "patron_categories": {"PT": "adult", "ST": "student"}}))
    return tmp_path


def run(exports, **kwargs):
    return migrate("koha", marc=[exports / "koha.mrc"], patrons=exports / "borrowers.csv",
                   loans=exports / "issues.csv", mapping_file=exports / "map.json", now=NOW, **kwargs)


def test_records_items_patrons_and_loans_come_across_with_each_refusal_reported(exports, branches):
    report = run(exports)
    assert report.counts["record"] == {"created": 40, "merged": 0, "skipped": 0, "refused": 0}
    # 80 items: those of FAR (no such branch, not mapped) are refused one by one, naming the branch.
    far = [ln for ln in report.lines if ln.kind == "item" and ln.outcome == "refused"]
    assert len(far) == 27 and all("“FAR” is not a bkklib branch" in ln.reason for ln in far)
    assert report.counts["item"]["created"] == Item.objects.count() == 80 - 27
    assert set(Item.objects.values_list("branch__code", flat=True)) == {"MAIN", "BKN"}  # CPL→MAIN, bkn matched
    item = Item.objects.get(barcode="390000000010")
    assert (item.item_type.code, item.call_number, item.shelving_location, str(item.price), item.acquired_on) == (
        "book", "895.91 ก1", "GEN", "250.00", date(2024, 1, 15))
    assert Item.objects.get(barcode="390000000070").item_type.code == "reference"  # $7 not for loan
    assert Item.objects.get(barcode="390000000051").status == Item.Status.LOST  # $1 lost

    assert report.counts["patron"] == {"created": 2, "merged": 0, "skipped": 0, "refused": 3}
    refused = {ln.identifier: (ln.field, ln.reason) for ln in report.lines if ln.kind == "patron"
               and ln.outcome == "refused"}
    assert refused["K0003"][0] == "category" and "“XX” is not mapped" in refused["K0003"][1]
    assert refused["K0004"][0] == "branch" and "“FAR” is not a bkklib branch" in refused["K0004"][1]
    assert refused[""][0] == "card_number"
    # A refused row leaves nothing: no patron, no history row of one.
    assert sorted(Patron.objects.values_list("card_number", flat=True)) == ["K0001", "K0002"]
    assert sorted(Patron.history.values_list("card_number", flat=True)) == ["K0001", "K0002"]
    somchai = Patron.objects.get(card_number="K0001")
    assert (somchai.first_name_th, somchai.last_name_th, somchai.home_branch.code, somchai.category.code) == (
        "สมชาย", "ใจดี", "MAIN", "adult")
    assert (somchai.birth_date, somchai.card_expires_on) == (date(1980, 2, 1), date(2026, 1, 31))
    assert somchai.address == "12 ถนนราชดำเนิน กรุงเทพฯ"
    anna = Patron.objects.get(card_number="K0002")
    assert (anna.first_name_en, anna.home_branch.code, anna.birth_date, anna.email) == ("Anna", "BKN", None, "")
    repaired = {ln.field for ln in report.lines if ln.kind == "patron" and ln.outcome == "repaired"}
    assert repaired == {"birth_date", "email"}

    assert report.counts["loan"] == {"created": 2, "merged": 0, "skipped": 0, "refused": 3}
    loan = Loan.objects.get(item__barcode="390000000010")
    assert (loan.patron.card_number, loan.due_on, loan.branch.code) == ("K0001", date(2025, 6, 10), "BKN")
    assert loan.checked_out_at == datetime(2025, 5, 20, 14, 3, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert Item.objects.get(barcode="390000000010").status == Item.Status.ON_LOAN
    assert Loan.objects.get(item__barcode="390000000030").due_on == date(2025, 6, 11)
    reasons = {ln.identifier: ln.field for ln in report.lines if ln.kind == "loan"}
    assert reasons == {"390000000040": "card_number", "NOSUCHBARCODE": "barcode", "390000000060": "due"}
    assert Loan.objects.count() == 2  # the refused loans left no loan and no item status behind
    assert Item.objects.get(barcode="390000000060").status == Item.Status.AVAILABLE
    for kind in ("record", "patron", "loan"):
        assert report.accounted(kind) == report.read[kind]


def test_a_second_run_merges_and_duplicates_nothing(exports, branches):
    run(exports)
    counts = (Record.objects.count(), Item.objects.count(), Patron.objects.count(), Loan.objects.count())
    again = run(exports)
    assert (Record.objects.count(), Item.objects.count(), Patron.objects.count(), Loan.objects.count()) == counts
    assert again.counts["record"] == {"created": 0, "merged": 40, "skipped": 0, "refused": 0}
    assert again.counts["item"] == {"created": 0, "merged": 53, "skipped": 0, "refused": 27}
    assert again.counts["patron"] == {"created": 0, "merged": 2, "skipped": 0, "refused": 3}
    assert again.counts["loan"] == {"created": 0, "merged": 2, "skipped": 0, "refused": 3}


def test_a_dry_run_reports_what_the_run_will_do_and_stores_nothing(exports, branches):
    dry = run(exports, dry_run=True)
    assert (Record.objects.count(), Item.objects.count(), Patron.objects.count(), Loan.objects.count()) == (0, 0, 0, 0)
    real = run(exports)
    assert dry.dry_run and dry.counts == real.counts
    assert [(ln.kind, ln.outcome, ln.number, ln.field) for ln in dry.lines] == [
        (ln.kind, ln.outcome, ln.number, ln.field) for ln in real.lines]
    assert "DRY RUN" in dry.text()


def test_a_loan_for_an_item_on_loan_to_another_card_is_refused_and_changes_nothing(exports, branches):
    run(exports)
    (exports / "issues.csv").write_bytes(koha_issues([("390000000010", "K0002", "2025-05-25", "2025-06-15")]))
    before = list(Loan.objects.values_list("pk", "patron__card_number", "due_on"))
    report = migrate("koha", loans=exports / "issues.csv", mapping_file=exports / "map.json", now=NOW)
    assert report.counts["loan"]["refused"] == 1
    assert "already on loan to another card" in report.lines[0].reason
    assert list(Loan.objects.values_list("pk", "patron__card_number", "due_on")) == before


def test_a_large_export_is_rewritten_in_the_import_helper_processes_too(exports, branches, monkeypatch):
    """Big files are prepared by helper processes that do not set Django up: the holdings rewrite must
    travel to them and run there (as it does for the bench's 20,000 records)."""
    from bkklib.catalog import importer

    monkeypatch.setattr(importer, "PARALLEL_FROM", 10)
    monkeypatch.setattr(importer, "CHUNK", 8)
    report = migrate("koha", marc=[exports / "koha.mrc"], mapping_file=exports / "map.json")
    assert report.counts["record"]["created"] == 40
    assert report.counts["item"]["created"] == 53
    assert set(Item.objects.values_list("branch__code", flat=True)) == {"MAIN", "BKN"}


def test_a_koha_record_without_001_is_kept_apart_by_its_biblionumber(tmp_path, branches):
    from bkklib.catalog.marc.writer import to_iso2709

    record = {"leader": "00000nam a2200000 a 4500", "fields": [
        {"245": {"ind1": "0", "ind2": "0", "subfields": [{"a": "ไม่มีเลขควบคุม"}]}},
        {"952": {"ind1": " ", "ind2": " ", "subfields": [{"a": "MAIN"}, {"o": "895.9"}]}},  # no barcode
        {"999": {"ind1": " ", "ind2": " ", "subfields": [{"c": "777"}, {"d": "777"}]}}]}
    (tmp_path / "no001.mrc").write_bytes(to_iso2709(record))
    first = migrate("koha", marc=[tmp_path / "no001.mrc"])
    again = migrate("koha", marc=[tmp_path / "no001.mrc"])
    assert (first.counts["record"]["created"], again.counts["record"]["merged"]) == (1, 1)
    assert Record.objects.get().control_number == "777"
    assert any("biblionumber 777" in ln.reason for ln in first.lines if ln.outcome == "repaired")
    (item,) = [ln for ln in first.lines if ln.kind == "item"]
    assert (item.outcome, item.field, item.reason) == ("refused", "952", "item field 952 has no barcode ($p): no item "
                                                                        "created")
    assert first.counts["item"]["refused"] == 1
