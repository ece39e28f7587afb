"""The patron's journey in a real browser: search in Thai → record → sign in → reserve → the account shows it;
renew a loan; the digital card. axe-core on every account page; screenshots of the account pages."""
from datetime import timedelta

import pytest

from bkklib.opac import clock

from .world import WED_10AM, build_network

pytestmark = pytest.mark.browser
PIN = "2468"


@pytest.fixture
def reader(site_data, monkeypatch):
    """A network, a catalogue, a librarian, and a reader with a PIN and one book on loan."""
    from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
    from bkklib.circulation.services import lending
    from bkklib.circulation.services import patrons as patron_services
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user

    monkeypatch.setattr(clock, "now", lambda: WED_10AM)
    network = build_network()
    city = network["city"]
    staff = staff_user(roles.BRANCH_LIBRARIAN, city)
    painting = RecordFactory(title="ข้างหลังภาพ", author="ศรีบูรพา", year=2015)
    ItemFactory(record=painting, branch=network["bangkhen"], call_number="น ศ741ข")
    borrowed = RecordFactory(title="สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช", year=2010)
    patron = PatronFactory(card_number="2990000000033", home_branch=city, first_name_th="อลิสา",
                           last_name_th="ปั้นเลี้ยงที่นี่", email="alisa@example.org")  # marks stack
    patron_services.set_pin(patron, PIN)
    loan = lending.checkout(item=ItemFactory(record=borrowed, branch=city), patron=patron, staff=staff, desk=city,
                            now=WED_10AM - timedelta(days=10))
    return {"patron": patron, "painting": painting, "loan": loan, **network}


def test_search_in_thai_then_sign_in_reserve_and_see_it_in_the_account(live_server, page, reader, axe, shoot,
                                                                       page_weight):
    page.goto(f"{live_server.url}/")
    box = page.get_by_label("ชื่อเรื่อง ผู้แต่ง หัวเรื่อง หรือ ISBN")
    box.fill("ข้างหลังภาพ")
    box.press("Enter")
    page.locator("ol.results").get_by_role("link", name="ข้างหลังภาพ").click()
    page.wait_for_url(f"**/records/{reader['painting'].pk}/")
    page.get_by_role("link", name="เข้าสู่ระบบเพื่อจองหนังสือเล่มนี้").click()
    page.wait_for_url("**/account/?next=**")
    axe(page, label="sign-in page")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(reader["patron"].card_number)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"**/records/{reader['painting'].pk}/")
    page.get_by_label("จองและรับหนังสือที่").select_option(label="หอสมุดเมืองกรุงเทพมหานคร (ห้องสมุดของคุณ)")
    page.get_by_role("button", name="จอง", exact=True).click()
    page.wait_for_url("**/account/")
    assert "จอง “ข้างหลังภาพ” แล้ว" in page.locator(".messages").inner_text()
    holds = page.locator("section[aria-labelledby=holds-title]")
    assert "ข้างหลังภาพ" in holds.inner_text() and "ลำดับที่ 1" in holds.inner_text()
    axe(page, label="account")
    shoot(page, "account")
    for path in ["/account/", "/account/card/"]:
        weight = page_weight(page, f"{live_server.url}{path}")
        assert weight <= 200 * 1024, f"{path} weighs {weight} bytes of HTML, CSS and JS"


def test_renew_a_loan_from_the_account(live_server, page, reader, axe):
    page.goto(f"{live_server.url}/account/")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(reader["patron"].card_number)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_label("PIN").press("Enter")
    page.wait_for_url("**/account/")
    loan_row = page.locator("tr.loan", has_text="สี่แผ่นดิน")
    before = loan_row.locator("td").nth(1).inner_text()
    loan_row.get_by_role("button", name="ยืมต่อ").click()
    page.wait_for_url("**/account/")
    assert "ยืมต่อ “สี่แผ่นดิน” แล้ว" in page.locator(".messages").inner_text()
    after = page.locator("tr.loan", has_text="สี่แผ่นดิน").locator("td").nth(1).inner_text()
    assert after != before
    reader["loan"].refresh_from_db()
    assert reader["loan"].renewals == 1
    axe(page, label="account after renewal")


def test_account_pages_card_preferences_privacy_are_accessible(live_server, page, reader, axe, shoot):
    page.goto(f"{live_server.url}/account/")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(reader["patron"].card_number)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_label("PIN").press("Enter")
    page.wait_for_url("**/account/")
    for name, path in [("account-card", "/account/card/"), ("account-preferences", "/account/preferences/"),
                       ("account-privacy", "/account/privacy/"), ("account-history", "/account/history/")]:
        page.goto(f"{live_server.url}{path}")
        axe(page, label=path)
        if name == "account-card":
            assert page.locator("svg.barcode").is_visible() and page.locator("svg.qrcode").is_visible()
            assert reader["patron"].card_number in page.locator(".card-number").inner_text()
            shoot(page, name)
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.goto(f"{live_server.url}/account/card/")
    assert "/account/?next=" in page.url


def test_sign_in_register_and_pin_reset_pages_are_accessible(live_server, page, reader, axe):
    for path in ["/account/", "/account/register/", "/account/pin/", "/account/pin/confirm/"]:
        page.goto(f"{live_server.url}{path}")
        axe(page, label=path)
    page.goto(f"{live_server.url}/account/")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(reader["patron"].card_number)
    page.get_by_label("PIN").fill("0000")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert "หมายเลขบัตรหรือ PIN ไม่ถูกต้อง" in page.locator("[role=alert]").first.inner_text()
    axe(page, label="sign-in with an error")


def test_a_pin_typed_in_thai_digits_is_the_same_pin(live_server, page, reader, axe, shoot):
    """The browser lets Thai digits through the PIN fields; the new PIN then signs in as Thai or Arabic digits."""
    card = reader["patron"].card_number
    page.goto(f"{live_server.url}/account/")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(card)
    page.get_by_label("PIN").fill("๒๔๖๘")  # the desk set 2468
    page.get_by_label("PIN").press("Enter")
    page.wait_for_url("**/account/")
    page.goto(f"{live_server.url}/account/preferences/")
    page.get_by_label("PIN ปัจจุบัน").fill(PIN)
    page.get_by_label("PIN ใหม่ (ตัวเลข 4–6 หลัก)").fill("๑๓๕๗๙")
    page.get_by_label("PIN ใหม่อีกครั้ง").fill("๑๓๕๗๙")
    page.get_by_role("button", name="เปลี่ยน PIN").click()
    page.wait_for_url("**/account/preferences/")
    assert "เปลี่ยน PIN แล้ว" in page.locator(".messages").inner_text()
    axe(page, label="preferences")
    shoot(page, "account-preferences")
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.goto(f"{live_server.url}/account/")
    page.get_by_label("หมายเลขบัตรสมาชิก").fill(card)
    page.get_by_label("PIN").fill("13579")
    page.get_by_label("PIN").press("Enter")
    page.wait_for_url("**/account/")
    assert page.get_by_role("button", name="ออกจากระบบ").count()
