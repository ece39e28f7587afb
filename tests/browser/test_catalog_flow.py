"""Search the catalogue in Thai in a real browser, open a record; bad input gets a friendly page."""
import pytest

from bkklib.opac import clock

from .world import WED_10AM, build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(site_data, monkeypatch):
    from bkklib.catalog.models import Item
    from bkklib.catalog.tests.factories import ItemFactory, RecordFactory

    monkeypatch.setattr(clock, "now", lambda: WED_10AM)
    network = build_network()
    painting = RecordFactory(title="ข้างหลังภาพ", author="ศรีบูรพา", year=2015, isbn="9786161842550")
    ItemFactory(record=painting, branch=network["city"], call_number="น ศ741ข")
    ItemFactory(record=painting, branch=network["bangkhen"], status=Item.Status.ON_LOAN)
    for n, title in enumerate(["ภาพเก่าเล่าเรื่องกรุงเทพ", "ศิลปะการถ่ายภาพเบื้องต้น", "นิทานภาพสำหรับเด็ก"]):
        ItemFactory(record=RecordFactory(title=title, author="ผู้เขียนทดสอบ", year=2000 + n), branch=network["city"])
    english = RecordFactory(title="Bangkok in pictures", author="Baker, Chris", year=2010, language="eng")
    ItemFactory(record=english, branch=network["bangkhen"])
    return {"painting": painting, **network}


def test_search_in_thai_then_open_the_record(live_server, page, catalogue, axe, shoot, page_weight):
    page.goto(f"{live_server.url}/")
    page.get_by_label("ชื่อเรื่อง ผู้แต่ง หัวเรื่อง หรือ ISBN").fill("ข้างหลังภาพ")
    page.get_by_label("ชื่อเรื่อง ผู้แต่ง หัวเรื่อง หรือ ISBN").press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator("ol.results > li").first
    assert first.locator("h3").inner_text() == "ข้างหลังภาพ"
    assert "หอสมุดเมืองกรุงเทพมหานคร" in first.inner_text()
    axe(page, label="search results")
    shoot(page, "results")
    # Narrow by a facet, then remove it again.
    page.locator(".facets a", has_text="มีให้ยืมตอนนี้").click()
    page.wait_for_url("**availability=available*")
    assert page.locator(".facets a.selected").count() == 1
    first = page.locator("ol.results > li").first
    first.get_by_role("link", name="ข้างหลังภาพ").click()
    page.wait_for_url(f"**/records/{catalogue['painting'].pk}/")
    assert page.locator("h1").inner_text() == "ข้างหลังภาพ"
    holdings = page.locator("table.holdings").inner_text()
    assert "น ศ741ข" in holdings and "ห้องสมุดประชาชนบางเขน" in holdings
    assert page.locator("table.holdings .badge-ok").count() == 1 and page.locator("table.holdings .badge-warn").count() == 1
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert page.locator('meta[property="og:type"]').get_attribute("content") == "book"
    axe(page, label="record page")
    shoot(page, "record")
    for url in [page.url, f"{live_server.url}/search/?q=%E0%B8%A0%E0%B8%B2%E0%B8%9E"]:
        weight = page_weight(page, url)
        assert weight <= 200 * 1024, f"{url} weighs {weight} bytes of HTML, CSS and JS"


@pytest.mark.parametrize("q", ["", "x" * 10000, "!!!...???", "'; DROP TABLE catalog_record; --",
                               "<script>alert(1)</script>", '"ภาพ'])
def test_bad_input_gets_a_friendly_accessible_page(live_server, page, catalogue, axe, q):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    response = page.goto(f"{live_server.url}/search/?" + __import__("urllib.parse").parse.urlencode({"q": q}))
    assert response.status == 200
    assert page.locator("form[role=search] input[name=q]").is_visible()
    assert not dialogs  # no injected script ran
    axe(page, label=f"search for {q[:20]!r}")
