"""The public website in a real browser: directory "open now" on a fixed clock, near me, branch page,
language switch, news published by staff on the home page and in the feed; axe-core on every
public page, page weight, keyboard, screenshots."""
import pytest

from bkklib.opac import clock

from .world import WED_8PM, WED_10AM, build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def network(site_data):
    return build_network()


@pytest.fixture
def at(monkeypatch):
    def fix(moment):
        monkeypatch.setattr(clock, "now", lambda: moment)

    return fix


def listed(page) -> list[str]:
    return page.locator(".branch-row h2 a").all_inner_texts()


def test_directory_filter_open_now_on_a_fixed_clock(live_server, page, network, at, axe, shoot):
    at(WED_8PM)
    page.goto(f"{live_server.url}/libraries/")
    assert len(listed(page)) == 3
    axe(page, label="directory")
    shoot(page, "directory")
    page.get_by_label("เปิดอยู่ตอนนี้").check()
    page.get_by_role("button", name="แสดงห้องสมุด").click()
    page.wait_for_url("**/libraries/?*open_now=1*")
    assert listed(page) == ["หอสมุดเมืองกรุงเทพมหานคร"]
    assert page.locator(".branch-row .badge-ok").inner_text() == "เปิดอยู่ตอนนี้"
    at(WED_10AM)
    page.reload()
    assert sorted(listed(page)) == sorted(["หอสมุดเมืองกรุงเทพมหานคร", "ห้องสมุดประชาชนบางเขน"])


def test_near_me_sorts_by_distance_from_the_phone(live_server, browser, network, at, axe):
    at(WED_10AM)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH", is_mobile=True,
                              geolocation={"latitude": 13.8702, "longitude": 100.6003}, permissions=["geolocation"])
    try:
        page = ctx.new_page()
        page.goto(f"{live_server.url}/libraries/")
        page.get_by_role("button", name="ใกล้ฉัน").click()
        page.wait_for_url("**lat=13.87*")
        assert listed(page) == ["บ้านหนังสือชุมชนวัดบางบัว", "ห้องสมุดประชาชนบางเขน", "หอสมุดเมืองกรุงเทพมหานคร"]
        assert "เรียงตามระยะทาง" in page.locator("#near-me-status").inner_text()
        axe(page, label="directory near me (phone)")
    finally:
        ctx.close()


def test_branch_page_shows_status_hours_services_and_map(live_server, page, network, at, axe, shoot):
    at(WED_10AM)
    page.goto(f"{live_server.url}/libraries/")
    page.get_by_role("link", name="หอสมุดเมืองกรุงเทพมหานคร").click()
    page.wait_for_url("**/libraries/citylib/")
    assert page.locator("h1").inner_text() == "หอสมุดเมืองกรุงเทพมหานคร"
    assert "เปิดอยู่ตอนนี้" in page.locator(".today").inner_text()
    assert "09.00–20.30" in page.locator("table.hours").inner_text()
    assert page.get_by_role("link", name="พื้นที่ทำงานร่วม (Co-working space)").is_visible()
    assert "openstreetmap.org" in page.get_by_role("link", name="เปิดแผนที่").get_attribute("href")
    assert "20 พฤษภาคม 2568" in page.locator(".verified").inner_text()
    axe(page, label="branch page")
    shoot(page, "branch")


def test_language_switch_to_english_and_back(live_server, page, network, at, axe):
    at(WED_10AM)
    page.goto(f"{live_server.url}/libraries/citylib/")
    assert page.locator("html").get_attribute("lang") == "th"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Bangkok City Library"
    assert "Open now" in page.locator(".today").inner_text()
    axe(page, label="branch page in English")
    page.goto(f"{live_server.url}/libraries/")
    # A Thai-only name on the English page is marked as Thai for screen readers.
    assert page.locator('span[lang="th"]', has_text="บ้านหนังสือชุมชนวัดบางบัว").count() == 1
    page.get_by_role("button", name="ภาษาไทย").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "th"


def test_news_published_by_staff_appears_on_home_page_and_in_the_feed(live_server, page, network, at, axe, shoot):
    from bkklib.core import roles
    from bkklib.network.tests.factories import UserFactory
    from bkklib.opac.roles import PR_EDITOR

    roles.sync_roles()
    editor = UserFactory(username="pr-editor")
    editor.groups.add(roles.group_for(PR_EDITOR))

    page.goto(f"{live_server.url}/staff/login/?next=/staff/news/new/")
    page.locator("#id_username").fill("pr-editor")
    page.locator("#id_password").fill("pass-1234!")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/staff/news/new/")
    page.locator("#id_title_th").fill("เปิดโลกนิทานวันเสาร์นี้")
    page.locator("#id_body_th").fill("ชวนน้อง ๆ มาฟังนิทานที่หอสมุดเมืองกรุงเทพมหานคร\n\nเริ่ม 10.00 น.")
    page.locator("#id_hashtags").fill("#เปิดโลกนิทาน #ห้องสมุดกรุงเทพ")
    page.locator("#id_branch").select_option(label="หอสมุดเมืองกรุงเทพมหานคร")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url("**/staff/news/*/")
    export = page.locator("#export-line-th").input_value()
    assert export.endswith("#เปิดโลกนิทาน #ห้องสมุดกรุงเทพ") and "/news/news-" in export
    page.locator("#publish-button").click()
    assert "เผยแพร่ “เปิดโลกนิทานวันเสาร์นี้” แล้ว" in page.locator(".messages").inner_text()

    from django.utils import timezone

    at(timezone.now())
    page.goto(f"{live_server.url}/")
    news = page.locator("section[aria-labelledby=news-title]")
    assert "เปิดโลกนิทานวันเสาร์นี้" in news.inner_text()
    axe(page, label="home")
    shoot(page, "home")
    news.get_by_role("link", name="เปิดโลกนิทานวันเสาร์นี้").click()
    assert page.locator("h1").inner_text() == "เปิดโลกนิทานวันเสาร์นี้"
    axe(page, label="news post")
    feed = page.request.get(f"{live_server.url}/news/feed/")
    assert feed.ok and "เปิดโลกนิทานวันเสาร์นี้" in feed.text() and "<category>เปิดโลกนิทาน</category>" in feed.text()
    assert "เปิดโลกนิทานวันเสาร์นี้" in page.request.get(f"{live_server.url}/news/feed/atom/").text()


PUBLIC_PAGES = ["/", "/libraries/", "/libraries/citylib/", "/libraries/rh001/", "/news/", "/about/", "/contact/",
                "/membership/", "/libraries/?district=9999&lat=abc"]


def test_every_public_page_passes_axe_is_light_and_keyboard_usable(live_server, page, network, at, axe,
                                                                   page_weight):
    at(WED_10AM)
    for path in PUBLIC_PAGES:
        weight = page_weight(page, f"{live_server.url}{path}")
        assert weight <= 200 * 1024, f"{path} weighs {weight} bytes of HTML, CSS and JS"
        axe(page, label=path)
        # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link", path
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", path
