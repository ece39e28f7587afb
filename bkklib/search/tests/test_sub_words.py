"""The two words of compounds the word list keeps whole are indexed beside the compound."""
import importlib

import pytest
from django.db import connection

from bkklib.search import analysis, index, text
from bkklib.search.backends.base import ROW_COLUMNS

from .conftest import make_doc

pytestmark = pytest.mark.django_db


def titles_of(query):
    return sorted(h.id for h in index.search(query, page_size=100).hits)


def test_a_compound_of_the_word_list_gives_its_two_words():
    assert text.sub_words(["กรุงเทพมหานคร", "ประวัติศาสตร์", "harry", "หนังสือพิมพ์"]) == [
        "กรุงเทพ", "มหานคร", "ประวัติ", "ศาสตร์", "หนังสือ", "พิมพ์"]


def test_short_cuts_are_not_taken_for_words_of_the_compound():
    # "จังหวัด" is not about "หวัด" (a cold), "เพลง" not "เพ" + "ลง"; words the list does not hold
    # ("ภูเขาทอง") are cut by the segmenting itself.
    assert text.sub_words(["จังหวัด", "เพลง", "ชาติ", "ประเทศ", "เศรษฐกิจ", "ภูเขาทอง", "abcdefgh"]) == []


def test_a_word_inside_a_compound_finds_the_record_after_records_that_hold_the_word():
    index.index_documents([
        make_doc(1, "แผนที่กรุงเทพมหานคร"),
        make_doc(2, "เที่ยวเมืองไทย", subject="กรุงเทพมหานคร -- คู่มือนำเที่ยว"),
        make_doc(3, "ภูมิศาสตร์ของเมือง"),
        make_doc(4, "กรุงเทพ ๒๔๗๕"),
        make_doc(5, "อาหารครัวไทย"), make_doc(6, "ครอบครัวสุขสันต์"),
    ])

    assert titles_of("กรุงเทพ") == [1, 2, 4]
    assert titles_of("กรุงเทพฯ") == [1, 2, 4]
    assert titles_of("กรุงเทพมหานคร") == [1, 2]
    assert titles_of("ศาสตร์") == [3]
    assert titles_of("title:กรุงเทพ") == [4]  # weak evidence: no field query
    assert [h.id for h in index.search("กรุงเทพ").hits][:1] == [4]
    assert [h.id for h in index.search("ครัว").hits] == [5, 6]


def test_the_migration_gives_older_documents_the_words_of_their_compounds(monkeypatch):
    monkeypatch.setattr(text, "sub_words", lambda words: [])  # index as before the migration
    index.index_documents([make_doc(1, "แผนที่กรุงเทพมหานคร", subject="วิทยาศาสตร์"), make_doc(2, "Bangkok maps")])
    monkeypatch.undo()
    assert titles_of("กรุงเทพ") == [] and titles_of("ศาสตร์") == []

    migration = importlib.import_module("bkklib.search.migrations.0008_sub_words")
    migration.forwards(None, type("Editor", (), {"connection": connection})())

    assert titles_of("กรุงเทพ") == [1] and titles_of("ศาสตร์") == [1] and titles_of("subject:ศาสตร์") == []
    with connection.cursor() as cur:
        cur.execute("SELECT id, rest_x FROM search_searchdoc ORDER BY id")
        stored = cur.fetchall()
    expected = analysis.prepare(make_doc(1, "แผนที่กรุงเทพมหานคร", subject="วิทยาศาสตร์"))[0]
    assert stored == [(1, expected[ROW_COLUMNS.index("rest_x")]), (2, "")]
    assert stored[0][1] == "กรุงเทพ มหานคร วิทยา ศาสตร์"
