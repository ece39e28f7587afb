"""rebuild_index on PostgreSQL leaves the index tables with planner statistics (core.bulk.keep_statistics)."""
import pytest
from django.db import connection

from bkklib.core.tests.test_bulk import analysed, flush_counters
from bkklib.search import index
from bkklib.search.documents import Document
from bkklib.search.models import SearchDoc


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL's planner")
@pytest.mark.django_db(transaction=True)
def test_rebuilding_the_search_index_leaves_it_analysed():
    if connection.pg_version < 150000:
        pytest.skip("pg_stat_force_next_flush is PostgreSQL 15's")
    index.index_documents([Document(id=i, title=f"หนังสือ {i}") for i in range(1, 80)])
    flush_counters()

    index.rebuild(Document(id=i, title=f"Book {i}") for i in range(1, 80))

    flush_counters()
    last_analyze, changed = analysed(SearchDoc._meta.db_table)
    assert last_analyze is not None and changed == 0
