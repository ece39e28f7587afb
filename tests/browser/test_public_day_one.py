"""Issue 17, item 11 and the pickup lists of item 10, in a real browser at desktop and 390 px phone width:
an overdue renewal says how late and what it costs; the account shows running fines and the total owed;
a hold takes a pickup branch from a list with the home and nearby libraries first, narrowed by typing;
the directory names a network holiday once. Screenshots of each screen; axe-core on each."""
import importlib
from datetime import timedelta
from decimal import Decimal

import pytest

from bkklib.opac import clock

from .conftest import PHONE
from .world import WED_10AM, build_network

pytestmark = pytest.mark.browser
PIN = "1357"
TODAY = WED_10AM.date()
HOLIDAY = ("วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าสุทิดา พัชรสุธาพิมลลักษณ พระบรมราชินี "
           "และวันหยุดชดเชยของหน่วยงานกรุงเทพมหานครทั่วทั้งเครือข่าย")
# Forty more libraries across Bangkok: the pickup list is long, as with the network's 158 branches.
DISTRICTS = ["คลองเตย", "คลองสามวา", "จตุจักร", "ดินแดง", "ดุสิต", "ตลิ่งชัน", "ทวีวัฒนา", "ทุ่งครุ", "ธนบุรี", "บางกอกน้อย"]


@pytest.fixture
def world(site_data, monkeypatch):
    """The network of the browser tests plus 40 libraries and an office; a reader with an overdue book."""
    from django.apps import apps

    for module in ("bkklib.catalog.migrations.0002_default_item_types",
                   "bkklib.circulation.migrations.0002_default_categories_policy"):
        importlib.import_module(module).forwards(apps, None)
    from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
    from bkklib.circulation.services import holds as hold_services
    from bkklib.circulation.services import lending
    from bkklib.circulation.services import patrons as patron_services
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.models import Branch, Closure
    from bkklib.network.tests.factories import BranchFactory, district, staff_user

    monkeypatch.setattr(clock, "now", lambda: WED_10AM)
    network = build_network()
    city = network["city"]
    for n in range(40):
        BranchFactory(code=f"lib{n:02d}", name_th=f"ห้องสมุดประชาชนเขต{DISTRICTS[n % 10]} {n // 10 + 1}",
                      kind=Branch.Kind.PUBLIC_LIBRARY, district=district(f"10{10 + n % 10}"),
                      latitude=f"{13.60 + n * 0.01:.6f}", longitude=f"{100.40 + (n % 7) * 0.03:.6f}")
    BranchFactory(code="office", name_th="กองห้องสมุด สำนักวัฒนธรรม กีฬาและการท่องเที่ยว", kind=Branch.Kind.OFFICE,
                  district=district("1001"), latitude="13.757", longitude="100.502")
    staff = staff_user(roles.BRANCH_LIBRARIAN, city, username="deskstaff", password="pass-1234!")
    reader = PatronFactory(card_number="2990000000041", home_branch=city, first_name_th="อลิสา",
                           last_name_th="รักอ่าน", email="alisa@example.org")
    other = PatronFactory(card_number="2990000000058", home_branch=city)
    patron_services.set_pin(reader, PIN)
    late_book = RecordFactory(title="สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช", year=2010)
    late = lending.checkout(item=ItemFactory(record=late_book, branch=city), patron=reader, staff=staff, desk=city,
                            now=WED_10AM - timedelta(days=20))
    hold_services.place_hold(record=late_book, patron=other, pickup_branch=city, now=WED_10AM)  # no renewal
    lending.checkout(item=ItemFactory(record=RecordFactory(title="ลูกอีสาน", author="คำพูน บุญทวี"), branch=city),
                     patron=reader, staff=staff, desk=city, now=WED_10AM - timedelta(days=3))
    painting = RecordFactory(title="ข้างหลังภาพ", author="ศรีบูรพา", year=2015)
    ItemFactory(record=painting, branch=network["bangkhen"], call_number="น ศ741ข")
    Closure.objects.create(branch=None, kind=Closure.Kind.PUBLIC_HOLIDAY, starts_on=TODAY, ends_on=TODAY,
                           reason_th=HOLIDAY)
    Closure.objects.create(branch=network["bangkhen"], starts_on=TODAY, ends_on=TODAY + timedelta(days=3),
                           reason_th="ปิดซ่อมหลังคา")
    return {"reader": reader, "late": late, "painting": painting, "staff": staff, **network}


def sign_in(page, base, card):
    page.goto(f"{base}/account/")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(card)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_label("PIN").press("Enter")
    page.wait_for_url("**/account/")


def open_days_late(due, today) -> int:
    """Days after ``due`` up to ``today`` when the city library opens (shut on Mondays and on today's holiday)."""
    return sum(1 for n in range(1, (today - due).days + 1)
               if (due + timedelta(days=n)).weekday() != 0 and due + timedelta(days=n) != TODAY)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_overdue_renewal_says_how_late_and_the_account_shows_the_running_fine(live_server, page, world, axe,
                                                                                  shoot, width):
    if width == "phone":
        page.set_viewport_size(PHONE)
    late = world["late"]
    days = (TODAY - late.due_on).days
    fine = late.fine_per_day * open_days_late(late.due_on, TODAY)
    sign_in(page, live_server.url, world["reader"].card_number)
    row = page.locator("tr.loan", has_text="สี่แผ่นดิน")
    assert f"เกินกำหนด {days} วัน" in row.inner_text() and f"ค่าปรับถึงวันนี้ {fine:.2f} บาท" in row.inner_text()
    fines = page.locator("section[aria-labelledby=fines-title]")
    assert "ค่าปรับสะสมของหนังสือที่เกินกำหนด" in fines.inner_text()
    assert Decimal(page.locator("#total-owed").inner_text()) == fine
    row.get_by_role("button", name="ยืมต่อ").click()
    page.wait_for_url("**/account/")
    message = page.locator(".messages").inner_text()
    assert "“สี่แผ่นดิน”" in message and "เกินกำหนดส่งแล้ว" in message and f"เกินมา {days} วัน" in message
    assert f"ค่าปรับถึงวันนี้ {fine:,.2f} บาท" in message and "โปรดนำไปคืนที่ห้องสมุดใดก็ได้" in message
    # On a phone the message and the overdue loan are on the first screen, readable without zooming.
    if width == "phone":
        box = page.locator(".messages").bounding_box()
        assert box["y"] < 844 and box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe(page, label="account with an overdue loan")
    if width == "phone":
        shoot(page, "public-overdue-renewal")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_hold_offers_home_and_nearby_first_and_a_search_narrows_the_list(live_server, page, world, axe, shoot,
                                                                          width):
    from bkklib.circulation.models import Hold

    if width == "phone":
        page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, world["reader"].card_number)
    page.goto(f"{live_server.url}/records/{world['painting'].pk}/")
    select = page.get_by_label("จองและรับหนังสือที่")
    assert select.input_value() == "citylib"  # the reader's own library by default
    groups = page.locator("#hold-branch optgroup")
    assert groups.nth(0).get_attribute("label") == "ห้องสมุดของคุณและที่อยู่ใกล้"
    nearby = groups.nth(0).locator("option").all_inner_texts()
    assert nearby[0] == "หอสมุดเมืองกรุงเทพมหานคร (ห้องสมุดของคุณ)" and all("กม." in t for t in nearby[1:])
    kms = [float(t.rsplit("(", 1)[1].split()[0]) for t in nearby[1:]]
    assert kms == sorted(kms) and len(nearby) == 9
    assert "กองห้องสมุด" not in page.locator("#hold-branch").inner_text()  # an office takes no pickups
    search = page.get_by_label("ค้นหาห้องสมุดจากชื่อหรือเขต")
    search.fill("บางเขน")
    # The branch of that name and the reading house of that district match; the first match is taken.
    values = [o.get_attribute("value") for o in page.locator("#hold-branch option").all()]
    assert sorted(values) == ["bangkhen", "citylib", "rh001"] and select.input_value() in ("bangkhen", "rh001")
    select.select_option("bangkhen")
    axe(page, label="record page with the pickup search")
    if width == "phone":  # the same screen either way: shot once, at both widths
        shoot(page, "public-hold-pickup")
    page.get_by_role("button", name="จอง", exact=True).click()
    page.wait_for_url("**/account/")
    assert "ห้องสมุดประชาชนบางเขน" in page.locator(".messages").inner_text()
    assert Hold.objects.get(patron=world["reader"], record=world["painting"]).pickup_branch.code == "bangkhen"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_directory_names_the_holiday_once(live_server, page, world, axe, shoot, width):
    if width == "phone":
        page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/libraries/")
    body = page.locator("main").inner_text()
    assert body.count(HOLIDAY) == 1 and "ห้องสมุดทุกแห่งปิดวันที่ 4 มิ.ย. 2568" in body
    cards = page.locator("li.branch-row")
    assert cards.count() >= 24
    assert all(HOLIDAY not in t for t in cards.all_inner_texts())
    assert "ปิดซ่อมหลังคา" in page.locator("li.branch-row", has_text="ห้องสมุดประชาชนบางเขน").inner_text()
    heights = [cards.nth(i).bounding_box()["height"] for i in range(6)]
    assert max(heights) < 160, heights  # short cards: name, kind and district, today's status
    axe(page, label="directory on a holiday")
    if width == "phone":
        shoot(page, "public-directory-holiday")


def test_the_desk_hold_form_lists_the_patrons_home_and_nearby_first(live_server, page, world, shoot):
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("deskstaff")
    page.get_by_label("รหัสผ่าน").fill("pass-1234!")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    page.goto(f"{live_server.url}/staff/circulation/patrons/{world['reader'].pk}/")
    first = page.locator("select[name=pickup_branch] optgroup").nth(0).locator("option").all_inner_texts()
    assert first[0] == "หอสมุดเมืองกรุงเทพมหานคร (ห้องสมุดของคุณ)"
    page.get_by_label("ค้นหาห้องสมุดจากชื่อหรือเขต").fill("จตุจักร")
    options = page.locator("select[name=pickup_branch] option").all_inner_texts()
    assert all("จตุจักร" in t for t in options if "หอสมุดเมือง" not in t) and len(options) >= 4
    shoot(page, "desk-hold-pickup")
