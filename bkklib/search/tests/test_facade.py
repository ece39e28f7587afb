"""The facade the catalog uses: index, search, delete, rebuild, count — on both engines."""
import pytest
from django.db import transaction

from bkklib.search import index
from bkklib.search.documents import Document

pytestmark = pytest.mark.django_db


def doc(id, title, **kw):
    kw.setdefault("facets", {"branch": ["B01"], "material_type": ["book"], "language": ["tha"],
                             "year": [str(kw.get("year") or 2020)], "availability": ["available"]})
    return Document(id=id, title=title, sort_title=title, **kw)


def ids(result):
    return [h.id for h in result.hits]


def test_an_indexed_thai_title_is_found_by_one_of_its_words():
    index.index_documents([doc(1, "ข้างหลังภาพ", author="ศรีบูรพา"), doc(2, "สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช")])

    assert ids(index.search("แผ่นดิน")) == [2]
    assert ids(index.search("ศรีบูรพา")) == [1]
    assert index.count() == 2


def test_reindexing_a_document_replaces_its_words():
    index.index_documents([doc(1, "Old title")])
    index.index_documents([doc(1, "New title")])

    assert index.search("old").total == 0
    assert ids(index.search("new")) == [1]
    assert index.count() == 1


def test_deleted_documents_are_no_longer_found():
    index.index_documents([doc(1, "Harry Potter"), doc(2, "Harry Houdini")])

    index.delete_documents([1, 99])

    assert ids(index.search("harry")) == [2]


def test_a_rolled_back_change_leaves_the_index_as_it_was():
    index.index_documents([doc(1, "Harry Potter")])
    try:
        with transaction.atomic():
            index.index_documents([doc(1, "Moby Dick")])
            assert ids(index.search("moby")) == [1]
            raise RuntimeError("undo")
    except RuntimeError:
        pass

    assert ids(index.search("potter")) == [1]
    assert index.search("moby").total == 0


def test_rebuild_replaces_everything_and_reports_progress():
    index.index_documents([doc(1, "Gone")])
    seen = []

    done = index.rebuild((doc(i, f"Book {i}") for i in range(10, 15)), total=5, progress=seen.append)

    assert done == 5 and sum(seen) == 5
    assert index.search("gone").total == 0
    assert index.search("book").total == 5
