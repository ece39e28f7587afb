"""The engines' own settings for the index tables, as the migrations leave them."""
import pytest
from django.db import connection

from bkklib.core.tests.test_bulk import statistics_targets
from bkklib.search.backends.sqlite import FTS_AUTOMERGE, FTS_TABLE


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's merge setting")
@pytest.mark.django_db
def test_fts5_merges_its_segments_eight_at_a_time():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v FROM {FTS_TABLE}_config WHERE k = 'automerge'")
        assert cursor.fetchone() == (FTS_AUTOMERGE,) and FTS_AUTOMERGE == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL's planner")
@pytest.mark.django_db
def test_analyze_samples_only_the_search_document_columns_queries_filter_or_sort_on():
    targets = statistics_targets("search_searchdoc")
    assert all(targets[name] == 0 for name in ("title", "title_x", "author", "author_x", "subject", "subject_x",
                                                "rest", "rest_x", "keys", "facets"))
    assert all(targets[name] in (-1, None) for name in ("id", "year", "sort_key", "tsv"))
