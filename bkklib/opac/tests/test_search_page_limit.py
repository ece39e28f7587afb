"""The public search pages stop at MAX_PAGE; the last page says how to reach the other hits."""
import pytest

from bkklib.catalog.tests.test_search_paging import many_records
from bkklib.opac import catalog_views

pytestmark = pytest.mark.django_db


def test_the_public_search_says_how_to_reach_hits_past_its_last_page(client, monkeypatch):
    monkeypatch.setattr(catalog_views, "MAX_PAGE", 2)
    many_records(50)
    last = client.get("/search/", {"q": "แมว", "page": 2}).content.decode()
    assert 'rel="next"' not in last and "ให้เพิ่มคำค้นหรือเลือกตัวกรอง" in last
    assert "ให้เพิ่มคำค้นหรือเลือกตัวกรอง" not in client.get("/search/", {"q": "แมว"}).content.decode()
