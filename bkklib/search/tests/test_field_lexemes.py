"""PostgreSQL field queries go through field-prefixed lexemes; the migration gives them to older documents."""
import importlib

import pytest
from django.db import connection

from bkklib.search import index
from bkklib.search.backends import postgresql

from .conftest import make_doc

pytestmark = pytest.mark.django_db


def titles_of(q):
    return sorted(hit.id for hit in index.search(q, page_size=50).hits)


def test_field_queries_find_the_word_in_that_field_only():
    index.index_documents([
        make_doc(1, "ประวัติศาสตร์ไทย", author="Somchai Rakthai", subject="Thai history"),
        make_doc(2, "Somchai and the river", author="Another Writer", subject="ประวัติศาสตร์"),
    ])

    assert titles_of("title:somchai") == [2]
    assert titles_of("author:somchai") == [1]
    assert titles_of("subject:ประวัติศาสตร์") == [2]
    assert titles_of('title:"the river"') == [2]
    assert titles_of("somchai") == [1, 2]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the migration rewrites PostgreSQL tsvectors")
def test_the_migration_gives_older_documents_their_field_lexemes(monkeypatch):
    monkeypatch.setattr(postgresql, "_COLUMN_PREFIX", {})  # index as before the migration
    index.index_documents([make_doc(1, "Somchai and the river", author="Another Writer")])
    monkeypatch.undo()
    assert titles_of("title:somchai") == []

    migration = importlib.import_module("bkklib.search.migrations.0004_field_lexemes")
    migration.forwards(None, type("Editor", (), {"connection": connection})())

    assert titles_of("title:somchai") == [1] and titles_of("author:somchai") == []
