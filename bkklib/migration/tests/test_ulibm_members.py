"""ULibM's member export (CSV with a BOM, or TIS-620) and the command with its JSON and XLSX reports."""
import io
import json
from datetime import date

from django.core.management import call_command
from openpyxl import load_workbook

from bkklib.catalog.models import Record
from bkklib.circulation.models import Loan, Patron
from bkklib.migration import rules
from bkklib.migration.services import migrate

HEADER = ("Barcode,Name,email,descr,type,statusactive,address,address2,tel,prefi,ExpirationDate,room,major,"
          "countlogin,LibrarySite,credit,,,,,\n")
ROWS = [
    '" 5001",นายสมชาย ใจดี,somchai@example.org,ครูประจำชั้น,member,yes,99 ม.3,ต.ขามเรียง,0812345678,นาย,'
    '2569-31-12,,,3,,0,,,,,\n',
    '" 5002",วิภา รักเรียน,,,student,yes,,,,,2568-15-05,,,0,,0,,,,,\n',
    '" 5003",,,,member,yes,,,,,2568-15-05,,,0,,0,,,,,\n',  # no name
]


def members(encoding="utf-8-sig") -> bytes:
    return (HEADER + "".join(ROWS)).encode(encoding)


def test_ulibm_members_come_across_with_their_thai_names_and_be_dates(tmp_path, branches):
    (tmp_path / "members.csv").write_bytes(members())
    (tmp_path / "map.json").write_text(json.dumps({"patron_categories": {"member": "adult", "student": "student"}}))
    report = migrate("ulibm", patrons=tmp_path / "members.csv", mapping_file=tmp_path / "map.json", branch="MAIN")
    assert report.counts["patron"] == {"created": 2, "merged": 0, "skipped": 0, "refused": 1}
    somchai = Patron.objects.get(card_number="5001")
    assert (somchai.first_name_th, somchai.last_name_th, somchai.card_expires_on) == ("สมชาย", "ใจดี", date(2026, 12, 31))
    assert (somchai.address, somchai.phone, somchai.home_branch.code, somchai.note) == (
        "99 ม.3 ต.ขามเรียง", "0812345678", "MAIN", "ครูประจำชั้น")
    assert somchai.id_type == Patron.IdType.OTHER and somchai.other_document == "migrated from ULibM"
    assert Patron.objects.get(card_number="5002").category.code == "student"
    (refused,) = [ln for ln in report.lines if ln.outcome == "refused"]
    assert (refused.identifier, refused.field, refused.number) == ("5003", "name", 4)


def test_a_tis620_member_export_reads_as_thai(tmp_path, branches):
    (tmp_path / "members.csv").write_bytes(members("cp874"))
    (tmp_path / "map.json").write_text(json.dumps({"patron_categories": {"member": "adult"}}))
    report = migrate("ulibm", patrons=tmp_path / "members.csv", mapping_file=tmp_path / "map.json", branch="MAIN")
    assert report.counts["patron"]["created"] == 2  # "student" is matched to bkklib's category of that code
    assert Patron.objects.get(card_number="5002").first_name_th == "วิภา"


def test_the_command_dry_run_writes_json_and_xlsx_reports_and_stores_nothing(tmp_path, shared_data, branches):
    marc = shared_data / "marc" / "ulibm__marcexport-allth_tis620.mrc"
    (tmp_path / "members.csv").write_bytes(members())
    (tmp_path / "loans.csv").write_text("barcode,cardnumber,issuedate,duedate\n00000002,5001,2025-05-20,2025-06-03\n")
    (tmp_path / "map.toml").write_text('default_branch = "MAIN"\n[patron_categories]\nmember = "adult"\n')
    out = io.StringIO()
    args = ["ulibm", "--marc", str(marc), "--patrons", str(tmp_path / "members.csv"), "--loans",
            str(tmp_path / "loans.csv"), "--mapping", str(tmp_path / "map.toml"), "--dry-run", "--language", "en"]
    call_command("migrate_from", *args, "--report", str(tmp_path / "r.json"), stdout=out)
    call_command("migrate_from", *args, "--report", str(tmp_path / "r.xlsx"), stdout=io.StringIO())
    assert (Record.objects.count(), Patron.objects.count(), Loan.objects.count()) == (0, 0, 0)
    text = out.getvalue()
    assert "DRY RUN" in text and "records: in the files 3, created 3" in text
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["dry_run"] is True and data["counts"]["record"]["created"] == 3
    assert data["counts"]["loan"] == {"created": 1, "merged": 0, "skipped": 0, "refused": 0}
    (refusal,) = [ln for ln in data["lines"] if ln["kind"] == "patron" and ln["outcome"] == "refused"]
    assert (refusal["identifier"], refusal["field"], refusal["number"], refusal["reason"]) == ("5003", "name", 4,
                                                                                              "no name")
    sheets = load_workbook(tmp_path / "r.xlsx")
    assert sheets.sheetnames == ["Summary", "Details"]
    assert [c.value for c in sheets["Summary"][3]][:3] == ["records", 3, 3]


def test_the_report_is_thai_by_default(tmp_path, shared_data, branches):
    out = io.StringIO()
    call_command("migrate_from", "ulibm", "--marc", str(shared_data / "marc" / "ulibm__marcexport-all.mrc"),
                 "--branch", "MAIN", "--dry-run", "--quiet-report", stdout=out)
    assert "ทดลอง" in out.getvalue() and "ระเบียน" in out.getvalue()


def test_dates_names_and_cards_as_the_exports_write_them():
    assert rules.parse_date("2569-31-12", order="ydm") == date(2026, 12, 31)
    assert rules.parse_date("03/06/2568") == date(2025, 6, 3)
    assert rules.parse_date("2025-06-03") == date(2025, 6, 3)
    assert rules.parse_date("0000-00-00") is None and rules.parse_date("") is None
    assert rules.split_name("นางสาววิภา รักเรียน") == ("วิภา", "รักเรียน")
    assert rules.split_name("Anna Maria Smith") == ("Anna", "Maria Smith")
    assert rules.card_number('" 5001"') == "5001"
