"""The fiscal-year report: target against actual, the same figures on the page, in the XLSX and in the PDF."""
import io
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.events import services
from bkklib.events.models import ProjectTarget
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ActivityFactory, FestivalFactory, ProjectFactory

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def project_year(setting):
    """FY 2569: storytelling on two Saturdays (March, book festival) and a talk in July; counted by hand below."""
    project = ProjectFactory(fiscal_year=2569, name="โครงการเปิดโลกนิทาน", target_activities=4)
    ProjectTarget.objects.create(project=project, age_group="child", participants=40)
    ProjectTarget.objects.create(project=project, age_group="adult", participants=20)
    festival = FestivalFactory(year=2026, month=3, name_th="เทศกาลหนังสือกรุงเทพฯ")
    story = ActivityFactory(branch=setting.branch, project=project, festival=festival, min_age=None, max_age=None,
                            capacity=30, title="เล่านิทานวันเสาร์")
    other_branch = BranchFactory(name_th="ห้องสมุดประชาชนบางเขน")
    talk = ActivityFactory(branch=other_branch, project=project, capacity=30, title="วันภาษาไทย")
    admin = staff_user(roles.NETWORK_ADMIN, setting.branch, other_branch)
    march = datetime(2026, 3, 7, 10, tzinfo=BKK)
    before = march - timedelta(days=5)
    s1, s2 = services.schedule_sessions(activity=story, starts_at=march, ends_at=march + timedelta(hours=1),
                                        staff=admin, weekly_until=datetime(2026, 3, 14).date())
    (s3,) = services.schedule_sessions(activity=talk, starts_at=datetime(2026, 7, 29, 9, tzinfo=BKK),
                                       ends_at=datetime(2026, 7, 29, 12, tzinfo=BKK), staff=admin)
    # A cancelled session and one of another year's project are not counted.
    (cancelled,) = services.schedule_sessions(activity=story, starts_at=datetime(2026, 3, 21, 10, tzinfo=BKK),
                                              ends_at=datetime(2026, 3, 21, 11, tzinfo=BKK), staff=admin)
    services.cancel_session(session=cancelled, staff=admin)
    kids = PatronFactory.create_batch(3, birth_date=datetime(2019, 1, 1).date())
    adult = PatronFactory(birth_date=datetime(1980, 1, 1).date())
    for patron in [*kids, adult]:
        services.register(session=s1, patron=patron, now=before)
    services.register(session=s1, patron=PatronFactory(birth_date=datetime(2018, 1, 1).date()), now=before)  # no-show
    for patron in [*kids, adult]:
        services.check_in(session=s1, code=patron.card_number, staff=admin, now=march)
    services.record_walk_ins(session=s1, counts={("child", "female"): 4, ("adult", "male"): 2}, staff=admin)
    services.record_walk_ins(session=s2, counts={("child", "male"): 6, ("senior", "female"): 1}, staff=admin)
    services.record_walk_ins(session=s3, counts={("youth", "female"): 5, ("adult", "female"): 3}, staff=admin)
    # By hand: held = s1, s2, s3 = 3; children 3 + 4 + 6 = 13; youth 5; adults 1 + 2 + 3 = 6; seniors 1; all 25.
    return project, admin


HAND = {"held": 3, "child": 13, "youth": 5, "adult": 6, "senior": 1, "total": 25}


def figures(html: str) -> dict:
    import re

    return {k: int(v) for k, v in re.findall(r'data-figure="(\w+)">(\d+)<', html)}


def test_page_xlsx_and_pdf_agree_with_the_hand_count(client, project_year):
    project, admin = project_year
    client.force_login(admin)
    page = client.get("/staff/events/report/?fy=2569")
    assert page.status_code == 200
    assert figures(page.content.decode()) == HAND
    text = page.content.decode()
    assert "เทศกาลหนังสือกรุงเทพฯ" in text and "ห้องสมุดประชาชนบางเขน" in text

    book = load_workbook(io.BytesIO(client.get("/staff/events/report/?fy=2569&format=xlsx").content))
    sheet = book["โครงการ"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    row = dict(zip(header, rows[2], strict=True))
    assert row["โครงการ"] == "โครงการเปิดโลกนิทาน"
    assert row["กิจกรรมที่จัดแล้ว"] == HAND["held"]
    assert row["ผลจริง: เด็ก (0–12 ปี)"] == HAND["child"] and row["เป้าหมาย: เด็ก (0–12 ปี)"] == 40
    assert row["ผลจริง: เยาวชน (13–24 ปี)"] == HAND["youth"]
    assert row["ผลจริง: ผู้ใหญ่ (25–59 ปี)"] == HAND["adult"]
    assert row["ผลจริง: ผู้สูงอายุ (60 ปีขึ้นไป)"] == HAND["senior"]
    assert row["ผู้เข้าร่วม"] == HAND["total"] and row["เทศกาลที่ร่วมจัด"] == 1 and row["สาขาที่จัดกิจกรรม"] == 2

    pdf = client.get("/staff/events/report/?fy=2569&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf.content, capture_output=True,
                          check=True).stdout.decode()
    flat = " ".join(text.split())
    assert f"กิจกรรมที่จัด: {HAND['held']} จากเป้าหมาย 4 (75%)" in flat
    assert f"ผู้เข้าร่วม เด็ก (0–12 ปี): {HAND['child']} จากเป้าหมาย 40 (32%)" in flat
    assert f"ผู้เข้าร่วม เยาวชน (13–24 ปี): {HAND['youth']} จากเป้าหมาย 0" in flat
    assert f"ผู้เข้าร่วม ผู้ใหญ่ (25–59 ปี): {HAND['adult']} จากเป้าหมาย 20 (30%)" in flat
    assert f"ผู้เข้าร่วม ผู้สูงอายุ (60 ปีขึ้นไป): {HAND['senior']} จากเป้าหมาย 0" in flat
    assert f"ผู้เข้าร่วมรวม: {HAND['total']} จากเป้าหมาย 60" in flat
    assert "เทศกาลที่ร่วมจัด: เทศกาลหนังสือกรุงเทพฯ" in flat


def test_the_report_needs_the_report_permission(client, setting):
    volunteer = staff_user(roles.VOLUNTEER, setting.branch)
    client.force_login(volunteer)
    assert client.get("/staff/events/report/").status_code == 403
