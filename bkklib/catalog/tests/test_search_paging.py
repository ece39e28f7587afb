"""Every hit of a broad search is reachable by paging, through the API (next links) and the OPAC pages."""
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from rest_framework.test import APIClient

from bkklib.catalog import indexing
from bkklib.catalog.marc.extract import extract
from bkklib.catalog.models import Record

from .factories import marc_record

pytestmark = pytest.mark.django_db

WORDS = ["ข้างหลังภาพ", "บ้าน", "ทะเล", "ภูเขา", "เมือง", "สวน", "history", "garden", "river", "city"]
HITS = 1234


def many_records(n: int) -> list[int]:
    """Store ``n`` records whose titles all hold "แมว" among other words (titles of varied length, so
    their scores differ), index them in one go, and return their ids."""
    records = []
    for i in range(n):
        title = "แมว " + " ".join(WORDS[(i + k) % len(WORDS)] for k in range(i % 7)) + f" {i}"
        marc = marc_record(title, author=f"ผู้แต่ง {i % 50}", year=1950 + i % 70)
        records.append(Record(marc=marc, **extract(marc).model_fields()))
    Record.objects.bulk_create(records, batch_size=500)
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    indexing.reindex(ids)
    return ids


@pytest.mark.parametrize("sort", ["relevance", "newest", "title"])
def test_the_api_pages_through_every_hit_of_a_broad_query_once(sort):
    ids = many_records(HITS)
    api = APIClient()
    url = "/api/v1/records/?" + urlencode({"q": "แมว", "sort": sort, "page_size": 500})
    seen, pages = [], 0
    while url:
        body = api.get(url).json()
        assert body["count"] == HITS
        seen.extend(row["id"] for row in body["results"])
        pages += 1
        if pages > 1:
            assert body["previous"] is not None
        else:
            assert body["previous"] is None
        url = body["next"]
    assert pages == 3
    assert len(seen) == len(set(seen)) == HITS
    assert set(seen) == set(ids)


def test_a_search_answer_links_pages_like_every_other_list():
    many_records(30)
    body = APIClient().get("/api/v1/records/", {"q": "แมว", "page_size": 10, "page": 2}).json()
    assert parse_qs(urlsplit(body["next"]).query) == {"q": ["แมว"], "page_size": ["10"], "page": ["3"]}
    assert parse_qs(urlsplit(body["previous"]).query) == {"q": ["แมว"], "page_size": ["10"]}
    last = APIClient().get(body["next"]).json()
    assert last["next"] is None and len(last["results"]) == 10


def test_the_public_search_pages_reach_every_hit_once(client):
    ids = many_records(HITS)
    seen, page = [], 1
    while True:
        html = client.get("/search/", {"q": "แมว", "page": page}).content.decode()
        seen.extend(int(i) for i in re.findall(r'class="result-title"><a href="/records/(\d+)/"', html))
        if 'rel="next"' not in html:
            break
        page += 1
    assert page == -(-HITS // 20)
    assert len(seen) == len(set(seen)) == HITS and set(seen) == set(ids)

