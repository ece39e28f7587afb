"""The dashboard, the definitions and the standard reports: the hand counts on the page, the same cells in the
XLSX and the PDF (text extracted), and who may see what."""
import io
import re
import subprocess
import unicodedata
from decimal import Decimal
from html import unescape

import pytest
from openpyxl import load_workbook

from . import world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_world")]  # every test reads the world


def pdf_text(content: bytes) -> str:
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text.decode()).split())  # Latin ligatures (ﬁ) back to letters


def nfkc(text: str) -> str:
    """Text as compared with a PDF's: sara am (ำ) is extracted as nikhahit + sara aa, equal under NFKC."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def page_texts(html: str) -> list[str]:
    """The headings and the table cells of a report page, as people read them."""
    body = html.split('<main id="main"', 1)[1]
    found = re.findall(r"<(h1|h2|p class=\"report-subtitle\"|th[^>]*|td[^>]*|dt|dd[^>]*)>(.*?)</", body, re.S)
    texts = [" ".join(unescape(re.sub(r"<[^>]+>", "", t)).split()) for _tag, t in found]
    return [t for t in texts if t]


def test_dashboard_shows_the_hand_counts_and_links_every_figure_to_its_definition(client, stored, december_2026):
    client.force_login(stored.executive)
    html = client.get("/staff/dashboard/?fy=2570&from=1&to=2&indicator=circulation.loans").content.decode()
    tiles = dict(re.findall(r'data-indicator="([\w.]+)">.*?data-value="([\d.]*)"', html, re.S))
    for key, value in world.HAND_FY2570.items():
        expected = Decimal(value) * (100 if key == "spaces.no_show_rate" else 1)
        assert Decimal(tiles[key]) == expected, key
    assert 'class="geo-map"' in html and 'data-code="1001"' in html
    assert "/staff/dashboard/?fy=2570" in html and "district=1002" in html  # districts link to the filter
    assert html.count('href="/staff/dashboard/indicators/#') >= len(tiles)
    assert "ห้องสมุดประชาชนทดสอบ ก" in html and "/staff/reports/factsheet/?branch=" in html
    # the reading houses only: 3 loans, all at B
    narrowed = client.get("/staff/dashboard/?fy=2570&kind=reading_house").content.decode()
    assert re.search(r'data-indicator="circulation.loans">.*?data-value="3(\.00)?"', narrowed, re.S)
    assert "ห้องสมุดประชาชนทดสอบ ก" not in narrowed


def test_definitions_say_how_each_figure_is_counted(client, stored):
    client.force_login(stored.librarian_b)
    html = client.get("/staff/dashboard/indicators/").content.decode()
    assert 'id="circulationloans"' in html and 'id="circulationactive_members"' in html


@pytest.mark.parametrize("url", [
    "/staff/reports/monthly/?month=2026-10",
    "/staff/reports/circulation/?fy=2570",
    "/staff/reports/fiscal-year/?fy=2570&to=2",
    "/staff/reports/top-titles/?first=2026-09-01&last=2026-11-30",
    "/staff/reports/overdue/",
    "/staff/reports/collection/",
    "/staff/reports/factsheet/",
])
def test_pdf_text_equals_the_headings_and_figures_of_the_page(client, stored, url, december_2026):
    client.force_login(stored.admin)
    sep = "&" if "?" in url else "?"
    url = f"{url}{sep}branch={stored.world.a.pk}" if "fiscal-year" not in url else url
    page = client.get(url)
    assert page.status_code == 200
    texts = page_texts(page.content.decode())
    assert len(texts) > 3
    flat = pdf_text(client.get(url + "&format=pdf").content)
    missing = [t for t in texts if nfkc(t) not in flat]
    assert missing == []
    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))
    assert book.sheetnames


def test_monthly_statistics_of_october_equal_the_hand_count(client, stored):
    client.force_login(stored.admin)
    url = f"/staff/reports/monthly/?branch={stored.world.a.pk}&month=2026-10"
    texts = page_texts(client.get(url).content.decode())
    row = texts[texts.index("การยืม"):][:5]
    assert row[:4] == ["การยืม", "2", "0", "2"]
    flat = pdf_text(client.get(url + "&format=pdf").content)
    assert nfkc("สถิติประจำเดือน: ห้องสมุดประชาชนทดสอบ ก") in flat and "การยืม 2 0 2" in flat
    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))
    rows = {r[0]: r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0]}
    assert rows["การยืม"][1:4] == (2, 0, 2)


def test_circulation_report_cuts_loans_by_category_and_item_type(client, stored):
    client.force_login(stored.executive)
    texts = page_texts(client.get("/staff/reports/circulation/?fy=2570").content.decode())
    assert texts[texts.index("บุคคลทั่วไป"):][:2] == ["บุคคลทั่วไป", "5"]


def test_a_branch_librarian_sees_only_their_branch_and_not_the_dashboard(client, stored):
    client.force_login(stored.librarian_b)
    assert client.get("/staff/dashboard/").status_code == 403
    assert client.get(f"/staff/reports/monthly/?branch={stored.world.a.pk}").status_code == 404
    assert client.get(f"/staff/reports/monthly/?branch={stored.world.b.pk}").status_code == 200
    assert client.get("/staff/reports/fiscal-year/").status_code == 404
    assert client.post("/staff/reports/rebuild/", {}).status_code == 403


def test_the_overdue_list_logs_access_to_the_borrowers(client, stored):
    from bkklib.core.models import AccessLog

    client.force_login(stored.admin)
    page = client.get(f"/staff/reports/overdue/?branch={stored.world.b.pk}").content.decode()
    assert stored.world.p1.card_number in page
    assert AccessLog.objects.filter(user=stored.admin, purpose__contains="overdue").count() == 1


def test_rebuild_from_the_page_and_its_thai_refusal(client, stored):
    from bkklib.reports.models import AggregationRun

    client.force_login(stored.admin)
    response = client.post("/staff/reports/rebuild/", {"first_day": "2026-10-01", "last_day": "2026-10-31",
                                                       "reason": "นำเข้าข้อมูลย้อนหลัง"}, follow=True)
    assert "สร้างตัวเลขใหม่แล้ว" in response.content.decode()
    assert AggregationRun.objects.filter(trigger="rebuild", requested_by=stored.admin).count() == 1
    response = client.post("/staff/reports/rebuild/", {"first_day": "2026-10-31", "last_day": "2026-10-01",
                                                       "reason": "x"}, follow=True)
    assert "วันแรกต้องไม่อยู่หลังวันสุดท้าย" in response.content.decode()
    assert AggregationRun.objects.filter(trigger="rebuild").count() == 1


def test_the_dashboard_reads_a_fixed_number_of_queries(client, stored, django_assert_max_num_queries):
    from bkklib.network.tests.factories import BranchFactory
    from bkklib.reports.models import MonthlyFigure

    for branch in BranchFactory.create_batch(5):  # more branches with figures add no query
        MonthlyFigure.objects.create(indicator="circulation.loans", month=world.OCT, fiscal_year=2570, branch=branch,
                                     value=7)
    client.force_login(stored.executive)
    client.get("/staff/dashboard/?fy=2570")
    with django_assert_max_num_queries(16):
        assert client.get("/staff/dashboard/?fy=2570&indicator=circulation.loans").status_code == 200
