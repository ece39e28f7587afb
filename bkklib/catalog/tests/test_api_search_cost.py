"""The records API's search answer costs a fixed number of queries, whatever the page size (issue 31)."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bkklib.catalog.api import RecordSerializer
from bkklib.catalog.models import Record

from .factories import ItemFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Twelve records with "แมว" in the title, each with a copy or two."""
    records = [RecordFactory(title=f"แมว เล่ม {n}", author=f"ผู้แต่ง {n}", year=2000 + n, isbn=None) for n in range(12)]
    for n, record in enumerate(records):
        ItemFactory(record=record)
        if n % 2:
            ItemFactory(record=record, branch=ItemFactory._meta.declarations["branch"].get_factory()(code=f"b{n}"))
    return records


def queries_for(api, page_size: int) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        body = api.get("/api/v1/records/", {"q": "แมว", "page_size": page_size}).json()
    return len(captured), body


def test_the_query_count_of_a_results_page_does_not_grow_with_its_size(shelf):
    api = APIClient()
    api.get("/api/v1/records/", {"q": "แมว"})  # the process's first search loads the index's facet data

    small, few = queries_for(api, 2)
    large, many = queries_for(api, 12)

    assert len(few["results"]) == 2 and len(many["results"]) == 12
    assert small == large <= 6


def test_the_answer_keeps_its_shape(shelf):
    body = APIClient().get("/api/v1/records/", {"q": "แมว", "page_size": 3}).json()
    assert list(body) == ["count", "next", "previous", "page", "page_size", "results", "facets", "suggestions"]
    assert len(body["results"]) == 3
    for row in body["results"]:
        assert isinstance(row.pop("score"), float)
        # Field for field what the record serializer (every other record list, the record page) gives.
        assert row == json.loads(json.dumps(RecordSerializer(Record.objects.get(pk=row["id"])).data))
