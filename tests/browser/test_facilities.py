"""Facilities in a real browser at phone width: a branch librarian fills a Universal Design audit on site,
answering the ramp with a measured slope and a photo (with its EXIF location), completes the audit, sees
the gap list and raises an improvement work from a gap. The tree survey map draws from shipped data.
axe-core on every page; desktop and phone screenshots."""
import io

import pytest

from .conftest import PHONE
from .world import build_network, staff_log_in

pytestmark = pytest.mark.browser


def photo_file(tmp_path):
    from PIL import Image

    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (13.0, 45.0, 24.0), 3: "E", 4: (100.0, 30.0, 6.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (120, 120, 110)).save(buffer, "JPEG", exif=exif)
    path = tmp_path / "ramp.jpg"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def world(site_data, settings, tmp_path):
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command

    from bkklib.core import roles
    from bkklib.facilities import services
    from bkklib.facilities.models import Audit, Building, Species, TreeSite
    from bkklib.network.tests.factories import staff_user

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_ud_checklist", stdout=io.StringIO())  # live_server tests flush the migrations' data
    network = build_network()
    city = network["city"]
    staff = staff_user(roles.BRANCH_LIBRARIAN, city, username="facilities-staff")
    building = Building.objects.create(branch=city, name_th="อาคารหอสมุดเมือง", area_m2=Decimal("2400"),
                                       year_built_be=2480)
    audit = services.start_audit(building=building, by=staff, on=date.today())
    # Everything but the ramp and the toilet was answered earlier on the walk round.
    answers = {"parking": "yes", "entrance": "yes", "between_buildings": "na", "definition_scope": "yes",
               "signage": "no", "lift": "yes", "doors": "yes", "handrails": "yes", "tactile": "no",
               "stairs": "yes", "seating_halls": "na", "service_basics": "yes"}
    for item in audit.checklist.items.filter(code__in=answers):
        services.answer_item(audit_row=audit, item=item, result=answers[item.code], by=staff)
    site = TreeSite.objects.create(branch=city, name_th="สนามหญ้าหน้าหอสมุด", latitude=Decimal("13.756900"),
                                   longitude=Decimal("100.501800"), district_code="1001", area_m2=Decimal("150"),
                                   surveyed_on=date.today())
    services.plan_planting(site=site, species=Species.objects.get(code="cassia-fistula"), planned=12, by=staff)
    assert Audit.objects.count() == 1
    return {"audit": audit, "staff": staff}


def test_fill_a_ud_audit_on_site_with_a_photo_see_the_gaps_and_raise_a_work(live_server, page, world, axe, shoot,
                                                                          tmp_path):
    from bkklib.facilities.models import AuditAnswer, Work

    page.set_viewport_size(PHONE)
    staff_log_in(page, live_server.url, "facilities-staff")
    audit = world["audit"]
    page.goto(f"{live_server.url}/staff/facilities/audits/{audit.pk}/")
    axe(page, label="audit page")
    shoot(page, "facilities-audit")

    ramp = page.locator("#item-ramp")
    ramp.get_by_label("ไม่เป็นไปตามเกณฑ์").check()
    ramp.get_by_label("ความยาวทางลาดต่อความสูง 1 หน่วย (1:X) (X)").fill("8")
    ramp.get_by_label("หมายเหตุ").fill("ทางลาดชันเกินไป ไม่มีราวจับ")
    ramp.get_by_label("ภาพถ่าย").set_input_files(str(photo_file(tmp_path)))
    ramp.get_by_role("button", name="บันทึกข้อนี้").click()
    page.wait_for_url("**#item-lift")
    assert "บันทึกแล้ว: ทางลาด" in page.content()
    photo = page.locator("#item-ramp img.fac-photo")
    assert photo.is_visible()
    assert photo.evaluate("img => img.naturalWidth") == 1600  # resized for the web
    answer = AuditAnswer.objects.get(audit=audit, item__code="ramp")
    assert answer.photo_latitude == pytest.approx(13.7567, abs=1e-4)  # EXIF location kept as data

    toilet = page.locator("#item-toilet")
    toilet.get_by_label("ไม่เป็นไปตามเกณฑ์").check()
    toilet.get_by_role("button", name="บันทึกข้อนี้").click()
    page.wait_for_url("**#item-doors")
    page.get_by_role("button", name="ปิดการตรวจประเมิน").click()
    page.wait_for_url("**#gaps")
    gaps = page.locator("#gaps")
    assert "ทางลาด" in gaps.inner_text() and "ห้องส้วม" in gaps.inner_text()
    axe(page, label="audit completed with gaps")
    shoot(page, "facilities-gaps")

    gaps.get_by_label("ทางลาด").check()
    gaps.get_by_role("button", name="เสนองาน").click()
    page.wait_for_url("**/staff/facilities/works/*/")
    work = Work.objects.get()
    assert work.status == "proposed" and list(work.gaps.values_list("item__code", flat=True)) == ["ramp"]
    assert "เสนองานแล้ว" in page.content() and "ทางลาด" in page.locator("h1").inner_text()
    axe(page, label="work page")
    shoot(page, "facilities-work")


def test_the_tree_map_renders_from_shipped_boundaries_without_outside_calls(live_server, page, world, axe, shoot):
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:") else None)
    page.set_viewport_size(PHONE)
    staff_log_in(page, live_server.url, "facilities-staff")
    page.goto(f"{live_server.url}/staff/facilities/trees/")
    assert page.locator(".fac-map svg .geo-district").count() == 50
    assert page.locator(".fac-map svg .geo-point").count() >= 1  # the site (and the legend's sample)
    assert "สนามหญ้าหน้าหอสมุด" in page.locator(".fac-map svg").inner_html()
    assert outside == []
    axe(page, label="tree survey")
    shoot(page, "facilities-trees")
