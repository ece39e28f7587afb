"""Info pages, robots.txt, sitemap.xml, Open Graph tags and the language switch."""
import pytest

from bkklib.opac.models import InfoPage

from .conftest import WED_10AM

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/about/", "/contact/", "/membership/"])
def test_info_pages_exist_in_thai(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="th">' in response.content.decode()


def test_an_edited_info_page_shows_the_new_text(client):
    page = InfoPage.objects.get(slug="about")
    page.body_th = "ข้อความใหม่ของหน้าเกี่ยวกับเรา"
    page.save()
    assert "ข้อความใหม่ของหน้าเกี่ยวกับเรา" in client.get("/about/").content.decode()


def test_robots_txt_closes_private_areas_and_names_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /account/" in body and "Disallow: /staff/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_index_lists_sections_of_pages_libraries_news_and_records(client, network, fixed_now):
    from bkklib.catalog.tests.factories import RecordFactory

    record = RecordFactory(title="ข้างหลังภาพ")
    fixed_now(WED_10AM)
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-libraries.xml</loc>" in index
    assert "<loc>http://testserver/sitemap-records.xml</loc>" in index
    assert "<loc>http://testserver/libraries/citylib/</loc>" in client.get("/sitemap-libraries.xml").content.decode()
    assert "<loc>http://testserver/about/</loc>" in client.get("/sitemap-info.xml").content.decode()
    assert f"<loc>http://testserver/records/{record.pk}/</loc>" in client.get("/sitemap-records.xml").content.decode()


def test_pages_carry_open_graph_tags(client, network, fixed_now):
    fixed_now(WED_10AM)
    page = client.get("/libraries/citylib/").content.decode()
    assert '<meta property="og:title" content="หอสมุดเมืองกรุงเทพมหานคร">' in page
    assert '<meta property="og:locale" content="th_TH">' in page


def test_the_language_switch_sets_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    page = client.get("/about/").content.decode()
    assert '<html lang="en">' in page and "About Bangkok&#x27;s public libraries" in page
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert '<html lang="th">' in client.get("/").content.decode()


def test_the_home_page_has_the_search_box(client, fixed_now):
    fixed_now(WED_10AM)
    page = client.get("/").content.decode()
    assert 'name="q"' in page and 'action="/search/"' in page


def test_the_membership_page_shows_the_fee_table_circulation_charges(client):
    from bkklib.circulation.models import FeeTier

    FeeTier.objects.all().delete()
    FeeTier.objects.create(min_age=0, max_age=4, annual_fee="10.00")
    FeeTier.objects.create(min_age=60, max_age=None, annual_fee="0")
    page = client.get("/membership/").content.decode()
    assert "ค่าบำรุงสมาชิกรายปี" in page and ">10<" in page
