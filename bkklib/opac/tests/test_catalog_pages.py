"""Search results and record pages: facets, availability per branch, bad input, JSON-LD and OG tags."""
import pytest

from bkklib.catalog.models import Item
from bkklib.catalog.tests.factories import ItemFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(network):
    """Two Thai books and one English book with copies at the city library and in Bang Khen."""
    painting = RecordFactory(title="ข้างหลังภาพ", author="ศรีบูรพา", year=2015, isbn="9786161842550")
    ItemFactory(record=painting, branch=network["city"], call_number="น ศ741ข")
    ItemFactory(record=painting, branch=network["bangkhen"], status=Item.Status.ON_LOAN)
    tales = RecordFactory(title="นิทานพื้นบ้านภาคอีสาน", author="สมชาย ใจดี", year=2019)
    ItemFactory(record=tales, branch=network["bangkhen"], status=Item.Status.ON_LOAN)
    english = RecordFactory(title="A history of Bangkok", author="Baker, Chris", year=2010, language="eng")
    ItemFactory(record=english, branch=network["city"])
    return {"painting": painting, "tales": tales, "english": english}


def test_a_thai_word_finds_the_book_and_shows_where_it_is_available(client, books):
    response = client.get("/search/", {"q": "ภาพ"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0]["record"] == books["painting"]
    assert [b.code for b in rows[0]["available_at"]] == ["citylib"]
    page = response.content.decode()
    assert "หอสมุดเมืองกรุงเทพมหานคร" in page and f'href="/records/{books["painting"].pk}/"' in page


def test_a_book_with_every_copy_out_says_so(client, books):
    rows = client.get("/search/", {"q": "นิทาน"}).context["rows"]
    assert rows[0]["record"] == books["tales"] and rows[0]["available_at"] == [] and rows[0]["copies"] == 1


def test_facets_narrow_the_results_and_can_be_removed(client, books):
    response = client.get("/search/", {"q": "ภาพ OR history OR นิทาน"})
    assert response.context["result"].total == 3
    groups = {g["name"]: g for g in response.context["facets"]}
    language = {e["value"]: e for e in groups["language"]["entries"]}
    assert language["tha"]["count"] == 2 and language["tha"]["label"] == "ภาษาไทย"
    narrowed = client.get("/search/" + language["eng"]["href"])
    assert [r["record"] for r in narrowed.context["rows"]] == [books["english"]]
    selected = {e["value"]: e for g in narrowed.context["facets"] if g["name"] == "language" for e in g["entries"]}
    assert selected["eng"]["selected"]
    assert narrowed.context["filters"] == {"language": ["eng"]}
    available = client.get("/search/", {"q": "ภาพ OR history OR นิทาน", "availability": "available"})
    assert {r["record"].pk for r in available.context["rows"]} == {books["painting"].pk, books["english"].pk}


@pytest.mark.parametrize("q", [
    "", "   ", "x" * 10000, "!!!???...,,,", "'; DROP TABLE catalog_record; --", "<script>alert('x')</script>",
    '"unclosed phrase', "title:", "AND OR NOT", "(((", "ภาพ\x00\x1f", "%00%27", "🙂" * 50,
])
def test_bad_or_absurd_queries_get_a_friendly_page(client, books, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "Traceback" not in page


def test_a_very_long_query_is_shortened_with_a_notice(client, books):
    response = client.get("/search/", {"q": "ภาพ " * 3000})
    assert response.status_code == 200 and response.context["notices"]


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "-1"}, {"page": "99999999999"}, {"sort": "evil"},
                                    {"year_from": "two thousand"}, {"branch": "<b>"}])
def test_bad_paging_sort_and_filters_are_ignored_kindly(client, books, params):
    assert client.get("/search/", {"q": "ภาพ", **params}).status_code == 200


def test_the_search_page_runs_a_fixed_number_of_queries(client, books, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/search/", {"q": "ภาพ OR history OR นิทาน"})


def test_a_record_page_shows_details_holdings_json_ld_and_og_tags(client, books):
    record = books["painting"]
    response = client.get(f"/records/{record.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>ข้างหลังภาพ</h1>" in page
    assert "ศรีบูรพา" in page and "น ศ741ข" in page
    holdings = response.context["holdings"]
    assert [b.code for b, _copies in holdings] == ["citylib", "bangkhen"]  # available first
    assert '"@type": "Book"' in page and '"isbn": "9786161842550"' in page
    assert '<meta property="og:type" content="book">' in page
    assert f"http://testserver/records/{record.pk}/" in page  # share link


@pytest.mark.parametrize("path", ["/records/999999/", "/records/0/", "/records/99999999999999999999999/"])
def test_an_unknown_record_is_a_friendly_404(client, books, path):
    assert client.get(path).status_code == 404


def test_the_home_page_shows_new_arrivals_with_a_copy_on_the_shelf(client, books):
    page = client.get("/").content.decode()
    assert "A history of Bangkok" in page and "ข้างหลังภาพ" in page
    assert "นิทานพื้นบ้านภาคอีสาน" not in page  # every copy is out
