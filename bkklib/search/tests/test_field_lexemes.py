"""PostgreSQL field queries go through field-prefixed lexemes and phrases through pair lexemes; the
migration gives both to older documents. The phrase semantics hold on both engines."""
import importlib

import pytest
from django.db import connection

from bkklib.search import index
from bkklib.search.backends import postgresql

from .conftest import make_doc

pytestmark = pytest.mark.django_db


def titles_of(q):
    """The ids the query language itself matches (not the plain-words second reading of a query whose
    phrase or field finds nothing)."""
    result = index.search(q, page_size=50)
    return [] if result.read_as_words else sorted(hit.id for hit in result.hits)


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

    migration = importlib.import_module("bkklib.search.migrations.0005_pair_lexemes")
    migration.forwards(None, type("Editor", (), {"connection": connection})())

    assert titles_of("title:somchai") == [1] and titles_of("author:somchai") == []


def test_phrases_match_neighbouring_words_of_one_column_only():
    index.index_documents([
        make_doc(1, "history of the thai river", author="Somchai Rakthai"),
        make_doc(2, "the river history", author="Of Thai"),  # "history" ends the title, "of" opens the author
        make_doc(3, "thai history of the river"),
        make_doc(4, "river of the of thai"),  # the pairs of "river of thai", not side by side
        make_doc(5, "sea", subject="river of thai\nhistory"),  # "thai history" across two headings
    ])

    assert titles_of('"history of"') == [1, 3]
    assert titles_of('"of thai"') == [2, 4, 5]
    assert titles_of('"river of thai"') == [5]
    assert titles_of('"thai history"') == [3, 5]
    assert titles_of('"of the thai river"') == [1]
    assert titles_of('title:"thai history"') == [3]
    assert titles_of('subject:"thai history"') == [5]
    assert titles_of('author:"of thai"') == [2]
    assert titles_of('history -"history of"') == [2, 5]


def test_thai_words_typed_together_find_them_apart():
    index.index_documents([
        make_doc(1, "ลุงบุญมีระลึกชาติ"),
        make_doc(2, "ระลึก ชาติ ไทย"),  # the same two words with a space between them
        make_doc(3, "ชาติ ระลึก"),
    ])

    assert titles_of("ระลึกชาติ") == [1, 2]
    assert titles_of("title:ระลึกชาติ") == [1, 2]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pair lexemes are PostgreSQL's")
def test_the_migration_gives_older_documents_their_pair_lexemes():
    index.index_documents([make_doc(1, "history of the thai river")])
    with connection.cursor() as cur:  # as indexed before pair lexemes
        cur.execute("UPDATE search_searchdoc SET tsv = ts_delete(tsv, ARRAY(SELECT l FROM "
                    "unnest(tsvector_to_array(tsv)) l WHERE l LIKE %s))", ["%§§%"])
    assert titles_of('"thai river"') == []

    migration = importlib.import_module("bkklib.search.migrations.0005_pair_lexemes")
    migration.forwards(None, type("Editor", (), {"connection": connection})())

    assert titles_of('"thai river"') == [1] and titles_of('"river thai"') == []
    with connection.cursor() as cur:
        cur.execute("SELECT tsvector_to_array(tsv) FROM search_searchdoc")
        lexemes = set(cur.fetchone()[0])
    assert {"history§§of", "of§§the", "the§§thai", "thai§§river", "t§history"} <= lexemes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL reads the tsvector text")
@pytest.mark.parametrize("title, author", [
    ("ลุง บุญมี ระลึก ชาติ ลุง", "apichatpong weerasethakul"),  # nothing to escape
    ("it's o'brien's \\ back", "o'brien"),  # quotes and a backslash: escaped
    (" ".join(["มหา"] * 300), "x"),  # one word more often than PostgreSQL keeps positions of
])
def test_the_tsvector_text_reads_back_as_each_word_at_its_positions(title, author):
    from bkklib.search.backends.base import ROW_COLUMNS

    row = dict.fromkeys(ROW_COLUMNS, "")
    row.update(id=1, title=title, author=author, year=None)
    row = tuple(row[c] for c in ROW_COLUMNS)
    expected: dict[str, set[str]] = {}
    for column, base, weight, prefix in (("title", 1, "A", "t§"), ("author", 2 * 1800 + 1, "B", "a§")):
        words = row[ROW_COLUMNS.index(column)].split()
        for offset, word in enumerate(words):
            for lexeme in (word, prefix + word):
                slots = expected.setdefault(lexeme, set())
                if len(slots) < 256:
                    slots.add(f"{base + offset}{weight}")
        for first, second in zip(words, words[1:], strict=False):
            expected.setdefault(postgresql.pair_lexeme(first, second), set())
    with connection.cursor() as cur:
        cur.execute("SELECT lexeme, positions::text[], weights::text[] FROM unnest(%s::tsvector)",
                    [postgresql.tsvector_literal(row)])
        got = {lexeme: {f"{p}{w}" for p, w in zip(positions or [], weights or [], strict=True)}
               for lexeme, positions, weights in cur.fetchall()}
    assert got == expected
