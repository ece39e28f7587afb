"""Public search results on a phone: the first result comes before the filters, which open with a button;
on a desktop the filters are the sidebar. Screenshots at both widths."""
import pytest

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory, RecordFactory

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .world import build_network

pytestmark = pytest.mark.browser

TITLES = ["แมวเก้าชีวิต", "แมวกับหมา", "บ้านของแมว", "แมวขี้เซา", "เรื่องของแมวไทย", "แมวน้อยผจญภัย"]


@pytest.fixture
def catalog(site_data):
    """Cat books in three libraries, three languages and many years: every facet has several values."""
    network = build_network()
    branches = list(network.values())
    records = []
    for n in range(18):
        language = ("tha", "eng", "jpn")[n % 3]
        title = TITLES[n % len(TITLES)] if language == "tha" else f"Cats volume {n}"
        record = RecordFactory(title=f"{title} {n + 1}", author=f"ผู้แต่ง {n}", year=2000 + n, language=language)
        ItemFactory(record=record, branch=branches[n % 3],
                    status=Item.Status.AVAILABLE if n % 4 else Item.Status.ON_LOAN)
        records.append(record)
    return records


def _first_result_bottom(page) -> float:
    box = page.locator("ol.results > li").first.bounding_box()
    return box["y"] + box["height"]


def test_on_a_phone_results_come_first_and_filters_open_with_a_button(live_server, page, catalog, axe, shoot):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/search/?q=แมว OR cats")
    assert _first_result_bottom(page) <= PHONE["height"]
    panel = page.locator("details#filters")
    assert panel.get_attribute("open") is None
    assert not page.get_by_role("heading", name="ภาษา").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-filters-closed-phone.png"))
    axe(page, label="search results (phone)")

    page.get_by_text("ตัวกรอง", exact=True).click()
    assert page.get_by_role("heading", name="ภาษา").is_visible()
    year_link = page.locator("#facet-year ~ ul a").first
    label = year_link.inner_text()
    assert label == "2560"  # the newest year bucket (2017 CE) labelled in BE in Thai
    page.screenshot(path=str(SCREENSHOTS / "search-filters-open-phone.png"), full_page=True)
    year_link.click()
    page.wait_for_url("**year=2017**")
    assert page.locator("ol.results > li").count() == 1
    assert "· 2017" in page.locator("ol.results > li").first.inner_text()  # a Japanese book: its imprint is CE


def test_on_a_desktop_the_filters_are_an_open_sidebar(live_server, page, catalog, axe, shoot):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/search/?q=แมว OR cats")
    page.wait_for_function("document.getElementById('filters').open")
    assert page.get_by_role("heading", name="ภาษา").is_visible()
    sidebar, results = page.locator("details#filters").bounding_box(), page.locator("ol.results").bounding_box()
    assert sidebar["x"] + sidebar["width"] <= results["x"] and _first_result_bottom(page) <= DESKTOP["height"]
    axe(page, label="search results (desktop)")
    page.get_by_label("ตั้งแต่").fill("2558")
    page.get_by_label("ถึง", exact=True).fill("2017")
    page.get_by_role("button", name="ใช้ช่วงปีนี้").click()
    page.wait_for_url("**year_from=2558**")
    assert page.locator("ol.results > li").count() == 3  # 2015, 2016 and 2017 CE
    shoot(page, "search-results")
    page.set_viewport_size(PHONE)  # a window made narrow puts the results first again
    page.wait_for_function("!document.getElementById('filters').open")
    assert _first_result_bottom(page) <= PHONE["height"]
