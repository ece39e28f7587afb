"""``bkklib import_branches``: good rows are imported, bad rows are reported by row and column and create nothing."""
import io
from datetime import time

import pytest
from django.core.management import CommandError, call_command

from bkklib.network.models import Branch, OpeningPeriod

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = """ชื่อ,ประเภท,เขต,ที่อยู่,ละติจูด,ลองจิจูด,โทรศัพท์,เวลาเปิด
ห้องสมุดทดลองนำเข้า,ห้องสมุดประชาชน,1001,ถนนราชดำเนินกลาง,13.756331,100.501762,02 225 7612,อ.-ส. 09:00-20:30; อา. 09:00-20:00
บ้านหนังสือทดลอง,บ้านหนังสือ,บางรัก,,13.7240,100.5290,,"จ.-ศ. 09:00-12:00, 13:00-17:00"
ห้องสมุดเขตผิด,,เขตแอตแลนติส,,,,,
ห้องสมุดโทรผิด,,1004,,,,โทร 02-abc,
ห้องสมุดเวลาผิด,,1004,,,,,อ. 18:00-09:00
ห้องสมุดเวลาซ้อน,,1004,,,,,พ. 09:00-12:00; พ. 11:00-15:00
ห้องสมุดพิกัดผิด,,1004,,13.7x,100.5,,
"""


def run(tmp_path, content: str | bytes, *args, language="th"):
    path = tmp_path / "branches.csv"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out = io.StringIO()
    error = None
    try:
        call_command("import_branches", str(path), *args, "--language", language, stdout=out)
    except CommandError as exc:
        error = str(exc)
    return out.getvalue(), error


def test_good_rows_are_imported_and_bad_rows_are_reported_by_row_and_column(tmp_path):
    report, error = run(tmp_path, GOOD_AND_BAD)

    assert sorted(Branch.objects.values_list("name_th", flat=True)) == ["บ้านหนังสือทดลอง", "ห้องสมุดทดลองนำเข้า"]
    library = Branch.objects.get(name_th="ห้องสมุดทดลองนำเข้า")
    assert library.district.code == "1001" and library.kind == Branch.Kind.PUBLIC_LIBRARY
    assert str(library.latitude) == "13.756331" and library.verified_at is None  # to be confirmed by staff
    assert sorted(library.opening_periods.values_list("weekday", "opens_at", "closes_at"))[-1] == (
        6, time(9), time(20))
    house = Branch.objects.get(name_th="บ้านหนังสือทดลอง")
    assert house.kind == Branch.Kind.READING_HOUSE and house.district.code == "1004"
    assert house.opening_periods.filter(weekday=0).count() == 2  # a lunch break
    assert OpeningPeriod.objects.exclude(branch__in=[library, house]).count() == 0  # no half branch
    assert "แถว 4 ช่อง district: ไม่รู้จักเขต “เขตแอตแลนติส”" in report
    assert "แถว 5 ช่อง phone: กรอกหมายเลขโทรศัพท์" in report
    assert "แถว 6 ช่อง hours: เวลาปิดต้องช้ากว่าเวลาเปิด" in report
    assert "แถว 7 ช่อง hours: ช่วงเวลานี้ซ้อนทับกับช่วง 09:00–12:00" in report
    assert "แถว 8 ช่อง lat: “13.7x”" in report
    assert "สร้างใหม่ 2 แห่ง ปรับปรุง 0 แห่ง ไม่ได้นำเข้า 5 แถว" in report
    assert error == "มี 5 แถวที่ไม่ได้นำเข้า"


def test_an_unquoted_comma_is_reported_not_silently_cut(tmp_path):
    report, _error = run(tmp_path, "name,district,hours\nบ้านหนังสือ ก,1001,จ. 09:00-12:00, 13:00-16:00\n",
                         language="en")
    assert "row 2: The row has 4 cells but the header has 3" in report
    assert Branch.objects.count() == 0


def test_the_report_is_in_english_on_request(tmp_path):
    report, _error = run(tmp_path, GOOD_AND_BAD, language="en")
    assert "row 4, district: Unknown district “เขตแอตแลนติส”" in report
    assert "2 created, 0 updated, 5 not imported." in report


def test_a_dry_run_reports_everything_and_saves_nothing(tmp_path):
    report, _error = run(tmp_path, GOOD_AND_BAD, "--dry-run", language="en")

    assert Branch.objects.count() == 0 and OpeningPeriod.objects.count() == 0
    assert "Dry run: nothing was saved." in report
    assert "row 2: would be created" in report and "row 4, district:" in report


def test_importing_the_same_file_again_updates_instead_of_duplicating(tmp_path):
    run(tmp_path, GOOD_AND_BAD)
    report, _error = run(tmp_path, GOOD_AND_BAD, language="en")

    assert Branch.objects.count() == 2
    assert "0 created, 2 updated" in report
    assert Branch.objects.get(name_th="ห้องสมุดทดลองนำเข้า").opening_periods.count() == 6


OPEN_DATA = """name,lat,lng
ห้องสมุดเพื่อการเรียนรู้ ก,13.7563,100.5018
ห้องสมุดเพื่อการเรียนรู้ ข,13.8000,100.6000
"""


def test_the_bma_open_data_list_needs_a_default_district(tmp_path):
    report, error = run(tmp_path, OPEN_DATA, language="en")

    assert error and "--default-district" in error
    assert Branch.objects.count() == 0


def test_the_bma_open_data_list_imports_with_a_default_district_and_says_so(tmp_path):
    report, error = run(tmp_path, OPEN_DATA, "--default-district", "พระนคร", language="en")

    assert error is None
    assert Branch.objects.filter(district__code="1001", kind=Branch.Kind.PUBLIC_LIBRARY).count() == 2
    assert "no district column" in report and "พระนคร" in report
    assert "no kind column" in report and "public library" in report


def test_a_thai_windows_874_export_is_read(tmp_path):
    content = "name,district\nห้องสมุดภาษาไทย,ดุสิต\n".encode("cp874")
    run(tmp_path, content)
    assert Branch.objects.get(name_th="ห้องสมุดภาษาไทย").district.code == "1002"


def test_a_file_without_a_name_column_is_refused(tmp_path):
    _report, error = run(tmp_path, "title,district\nx,1001\n", language="en")
    assert error and "no name column" in error
