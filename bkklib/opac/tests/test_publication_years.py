"""A Thai book dated 2555 shows 2555 on every public page; year filters take BE or CE; sort is by one year."""
import pytest
from django.conf import settings
from django.core.cache import cache

from bkklib.catalog.tests.factories import ItemFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(network):
    cache.clear()
    thai = RecordFactory(title="แมวเก้าชีวิต", author="ศรีบูรพา", year=2012)  # 008: 2012, 264 $c: 2555
    ItemFactory(record=thai, branch=network["city"])
    older = RecordFactory(title="Cats of Bangkok", author="Baker", year=2010, language="eng")
    newer = RecordFactory(title="Cats and dogs", author="Baker", year=2015, language="eng")
    return {"thai": thai, "older": older, "newer": newer}


def test_the_record_page_results_and_new_books_show_the_be_year(client, books):
    thai = books["thai"]
    record_page = client.get(f"/records/{thai.pk}/").content.decode()
    assert ", 2555</dd>" in record_page and "2012</dd>" not in record_page
    results = client.get("/search/", {"q": "แมวเก้าชีวิต"}).content.decode()
    assert "· 2555" in results and "· 2012" not in results
    home = client.get("/").content.decode()
    assert "แมวเก้าชีวิต" in home and "2555" in home.split("แมวเก้าชีวิต", 1)[1].split("</li>", 1)[0]


def test_year_facets_are_one_bucket_labelled_in_the_readers_era(client, books):
    response = client.get("/search/", {"q": "แมว OR cats"})
    years = next(g for g in response.context["facets"] if g["name"] == "year")
    assert [(e["value"], e["label"]) for e in years["entries"]] == [("2015", "2558"), ("2012", "2555"), ("2010", "2553")]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/search/", {"q": "แมว OR cats"})
    years = next(g for g in response.context["facets"] if g["name"] == "year")
    assert [e["label"] for e in years["entries"]] == ["2015", "2012", "2010"]


@pytest.mark.parametrize("params", [
    {"year": "2555"}, {"year": "2012"}, {"year": "๒๕๕๕"},
    {"year_from": "2555", "year_to": "2555"}, {"year_from": "2012", "year_to": "2012"},
    {"year_from": "2554", "year_to": "2556"},
])
def test_a_year_filter_in_either_era_finds_the_thai_book(client, books, params):
    response = client.get("/search/", {"q": "แมว OR cats", **params})
    assert [row["record"] for row in response.context["rows"]] == [books["thai"]]


def test_newest_first_orders_the_be_dated_book_among_ce_dated_ones(client, books):
    response = client.get("/search/", {"q": "แมว OR cats", "sort": "newest"})
    assert [row["record"] for row in response.context["rows"]] == [books["newer"], books["thai"], books["older"]]
