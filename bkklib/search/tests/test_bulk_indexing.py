"""Bulk indexing prepares documents in a helper process and stores exactly what one process would."""
import pytest

from bkklib.core import processes
from bkklib.search import index
from bkklib.search.models import SearchDoc

from .conftest import make_doc

pytestmark = pytest.mark.django_db


def stored():
    return list(SearchDoc.objects.order_by("id").values_list())


def test_a_large_batch_is_stored_the_same_with_a_helper_process(monkeypatch):
    docs = [make_doc(i, f"หนังสือเล่มที่ {i} ประวัติศาสตร์ไทย", author=f"ผู้แต่ง {i}", year=1990 + i % 30)
            for i in range(1, 41)]
    monkeypatch.setattr(index, "PARALLEL_FROM", 1_000_000)
    index.index_documents(docs)
    serial = stored()
    index.delete_documents(range(1, 41))
    monkeypatch.setattr(index, "PARALLEL_FROM", 10)
    monkeypatch.setattr(index, "CHUNK", 7)

    index.index_documents(iter(docs))

    assert processes.pool() is not None  # the helper processes did the preparing
    assert stored() == serial
    assert index.search("ประวัติศาสตร์", page_size=100).total == 40


def test_rebuild_reports_progress_per_chunk(monkeypatch):
    monkeypatch.setattr(index, "PARALLEL_FROM", 10)
    monkeypatch.setattr(index, "CHUNK", 8)
    seen = []

    done = index.rebuild((make_doc(i, f"Book {i}") for i in range(1, 26)), total=25, progress=seen.append)

    assert done == 25 and seen == [8, 8, 8, 1]
