"""The e-library on a phone in a real browser: find an e-book, sign in, borrow it, read it in the vendored
reader, turn a page (the position is saved), return it. axe-core and screenshots on each page."""
import io

import pytest

pytestmark = pytest.mark.browser
PIN = "2468"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shelf(site_data, settings, tmp_path):
    from bkklib.circulation.services import patrons as patron_services
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.elibrary import epubgen
    from bkklib.elibrary.models import Collection, Licence
    from bkklib.elibrary.services import ingest

    settings.MEDIA_ROOT = tmp_path / "media"
    sentences = ["แม่น้ำเจ้าพระยาไหลผ่านกรุงเทพมหานครมาหลายร้อยปี ผู้คนริมฝั่งอาศัยน้ำในการดำรงชีวิต",
                 "เรือหางยาวแล่นผ่านบ้านเรือนไม้ริมคลอง เสียงเครื่องยนต์ดังก้องไปทั่วลำน้ำ"]
    titles = []
    for n, name in enumerate(["ตำนานแม่น้ำเจ้าพระยา", "ปั้นน้ำเป็นตัว ญี่ปุ่นในความทรงจำ"], 1):
        book = epubgen.Book(title=name, authors=["สุนทร ภูริพัฒน์"], identifier=f"urn:uuid:browser-{n}",
                            subjects=["ประวัติศาสตร์ไทย"], description="เรื่องเล่าริมน้ำ",
                            chapters=[(f"บทที่ {c}", [" ".join(sentences)] * 12) for c in range(1, 4)])
        title = ingest.ingest(io.BytesIO(epubgen.build(book)), filename=f"b{n}.epub")
        Licence.objects.create(title=title, kind="perpetual", copies=1, starts_on="2020-01-01")
        titles.append(title)
    Collection.objects.create(name="เรื่องเล่าริมน้ำ", slug="river", featured=True).titles.set(titles)
    patron = PatronFactory(first_name_th="อลิสา", last_name_th="ปั้นเลี้ยง")
    patron_services.set_pin(patron, PIN)
    return {"patron": patron, "titles": titles}


def test_find_borrow_read_turn_a_page_and_return_on_a_phone(live_server, page, shelf, axe, shoot):
    from bkklib.elibrary.models import ELoan, ReadingPosition

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/elibrary/")
    axe(page, label="e-library home")
    shoot(page, "elibrary-home")
    box = page.get_by_label("ชื่อเรื่อง ผู้แต่ง หรือหัวเรื่อง")
    box.fill("เจ้าพระยา")
    box.press("Enter")
    page.get_by_role("link", name="ตำนานแม่น้ำเจ้าพระยา").click()
    page.wait_for_url(f"**/elibrary/titles/{shelf['titles'][0].pk}/")
    axe(page, label="title page")
    shoot(page, "elibrary-title")
    page.get_by_role("link", name="ลงชื่อเข้าใช้เพื่อยืม").click()
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(shelf["patron"].card_number)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"**/elibrary/titles/{shelf['titles'][0].pk}/")
    page.get_by_role("button", name="ยืม", exact=True).click()
    page.wait_for_url(f"**/elibrary/titles/{shelf['titles'][0].pk}/")
    assert "คุณยืม “ตำนานแม่น้ำเจ้าพระยา” แล้ว" in page.locator(".messages").inner_text()
    shoot(page, "elibrary-borrowed")
    page.get_by_role("link", name="อ่านเลย").click()
    page.wait_for_url("**/read/")
    page.wait_for_selector("#viewer iframe")
    page.wait_for_function("() => document.body.dataset.location")
    first = page.evaluate("() => document.body.dataset.location")
    frame = page.frame_locator("#viewer iframe")
    assert "แม่น้ำเจ้าพระยา" in frame.locator("body").inner_text()
    axe(page, label="reader")
    shoot(page, "elibrary-reader")
    page.get_by_role("button", name="หน้าถัดไป").click()
    page.wait_for_function("(first) => document.body.dataset.location && document.body.dataset.location !== first",
                           arg=first)
    second = page.evaluate("() => document.body.dataset.location")
    page.wait_for_function("(cfi) => document.body.dataset.saved === cfi", arg=second)
    assert ReadingPosition.objects.get(patron=shelf["patron"]).location == second
    # opening the book again starts where the reader stopped
    page.reload()
    page.wait_for_function("(cfi) => document.body.dataset.location === cfi", arg=second)
    page.get_by_role("link", name="กลับ").click()
    page.goto(f"{live_server.url}/account/")
    section = page.locator("#elibrary-loans")
    assert "ตำนานแม่น้ำเจ้าพระยา" in section.inner_text()
    axe(page, label="account with e-loans")
    shoot(page, "elibrary-account")
    section.get_by_role("button", name="คืนตอนนี้").click()
    page.wait_for_url("**/account/")
    assert "คุณคืน “ตำนานแม่น้ำเจ้าพระยา” แล้ว" in page.locator(".messages").inner_text()
    assert not ELoan.objects.active().exists()


def test_staff_pages_on_desktop(live_server, page, shelf, axe, shoot):
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    from .world import staff_log_in

    user = staff_user(roles.NETWORK_ADMIN, BranchFactory())
    staff_log_in(page, live_server.url, user.username)
    for path, name in (("/staff/elibrary/", "dashboard"), (f"/staff/elibrary/titles/{shelf['titles'][0].pk}/", "title"),
                       ("/staff/elibrary/titles/add/", "add"), ("/staff/elibrary/licences/", "licences"),
                       ("/staff/elibrary/statistics/", "stats")):
        page.goto(f"{live_server.url}{path}")
        axe(page, label=f"staff {name}")
        shoot(page, f"elibrary-staff-{name}")
