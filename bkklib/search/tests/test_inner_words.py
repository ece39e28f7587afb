"""Issue 31 gold cases: Thai words wherever they stand, exact titles first whatever their punctuation.

- a word or the leading syllables of a name that a reader types find the title even where the
  segmenter cut the title another way (gold.INNER_WORDS), and cuts inside words of the word list do
  not (gold.NOT_INNER_WORDS: "จังหวัด" is not about "หวัด");
- the inner words find nothing new among the hand-segmented gold titles except what a reader would
  call a match (the existing gold set's hit sets, with and without them);
- a query equal to a title after normalisation (punctuation, dashes, Thai digits, volume numbers)
  ranks it first among its other volumes and editions (gold.EXACT_TITLES).
"""
import importlib

import pytest
from django.db import connection

from bkklib.search import index, syllables

from .conftest import make_doc
from .gold import EXACT_TITLES, INNER_WORDS, MIXED_QUERIES, NOT_INNER_WORDS, TITLES
from .test_thai_quality import gold_docs, gold_queries

pytestmark = pytest.mark.django_db


def ids(query, n=10):
    return [h.id for h in index.search(query, page_size=n).hits]


def test_syllable_boundaries_come_from_the_spelling():
    def cut(s):
        starts = syllables.syllable_starts(s)
        return [s[a:b] for a, b in zip(starts, [*starts[1:], len(s)], strict=True)]

    assert cut("ดาวอัลเดรามิน") == ["ดาว", "อัล", "เดรา", "มิน"]
    assert cut("สึซึมิยะ") == ["สึ", "ซึ", "มิ", "ยะ"]
    assert cut("จังหวัด") == ["จัง", "หวัด"]  # a cut inside a word of the word list is never indexed
    assert cut("แก๊งก๊วนป่วน") == ["แก๊ง", "ก๊วน", "ป่วน"]
    assert cut("ศาสตร์") == ["ศาสตร์"] and cut("เปลี่ยน") == ["เปลี่ยน"]


def test_inner_words_start_and_end_on_syllables_inside_pieces_the_word_list_does_not_know():
    assert syllables.inner_words([["ดา", "วอัลเด", "รา", "มิน"]])[:4] == ["ดาว", "ดาวอัล", "วอัล", "อัล"]
    assert syllables.inner_words([["จังหวัด", "เชียงใหม่"]]) == []
    assert syllables.inner_words([["harry"]]) == []


@pytest.fixture
def inner_index():
    titles = list(dict.fromkeys(t for t, _q, _w in INNER_WORDS)) + list(dict.fromkeys(t for t, _q in NOT_INNER_WORDS))
    index.index_documents([make_doc(i, title) for i, title in enumerate(titles, 1)])
    return {title: i for i, title in enumerate(titles, 1)}


@pytest.mark.parametrize(("title", "query", "_what"), INNER_WORDS)
def test_a_word_the_segmenter_cut_another_way_finds_the_title(inner_index, title, query, _what):
    assert inner_index[title] in ids(query)


@pytest.mark.parametrize(("title", "query"), NOT_INNER_WORDS)
def test_a_cut_inside_a_known_word_finds_nothing(inner_index, title, query):
    assert inner_index[title] not in ids(query, 100)


def test_the_inner_words_add_no_match_to_the_hand_segmented_gold_set(monkeypatch):
    docs = gold_docs()
    queries = [q for q, _id, _k in gold_queries()] + [q for q, _t in MIXED_QUERIES]
    monkeypatch.setattr(syllables, "inner_words", lambda runs: [])
    index.index_documents(docs)
    before = {q: set(ids(q, 500)) for q in queries}
    monkeypatch.undo()
    index.index_documents(docs)  # the same documents again, now with their inner words

    added = {q: sorted(set(ids(q, 500)) - before[q]) for q in queries}
    assert {q: [TITLES[i - 1][0] if i <= len(TITLES) else i for i in v] for q, v in added.items() if v} == {}


@pytest.fixture
def exact_index():
    docs = [make_doc(i, title, year=2000 + i % 20) for i, (title, _q) in enumerate(EXACT_TITLES, 1)]
    # Records sharing most words with them: other volumes and editions, series, subjects.
    others = ["86 -เอทตี้ซิกซ์- เล่ม 1 (ฉบับการ์ตูน)", "เอทตี้ซิกซ์ 86 เล่ม 11", "สามก๊ก", "สามก๊ก ฉบับวณิพก",
              "One Piece", "วันพีซ เล่ม 100 ภาคพิเศษ", "Spider-Man", "C++ Primer Plus", "ยุทธศาสตร์ชาติ",
              "บันทึกสงคราม", "ข้างหลังภาพ", "ไม่ใช่", "The secret garden", "Re:ZERO เล่ม 1"]
    base = len(docs) + 1
    docs += [make_doc(base + i, title, year=2025) for i, title in enumerate(others)]
    index.index_documents(docs)


@pytest.mark.parametrize(("number", "title", "query"), [
    (number, title, q) for number, (title, queries) in enumerate(EXACT_TITLES, 1) for q in queries])
def test_a_query_equal_to_a_title_ranks_it_first(exact_index, number, title, query):
    assert ids(query, 1) == [number], title


def test_the_migration_gives_older_documents_their_inner_words(monkeypatch):
    monkeypatch.setattr(syllables, "inner_words", lambda runs: [])  # index as before the migration
    index.index_documents([make_doc(1, "ดาวอัลเดรามิน"), make_doc(2, "คู่มือท่องเที่ยวจังหวัดเชียงใหม่")])
    monkeypatch.undo()
    assert ids("อัล") == []

    migration = importlib.import_module("bkklib.search.migrations.0010_inner_words")
    migration.forwards(None, type("Editor", (), {"connection": connection})())

    assert ids("อัล") == [1] and ids("หวัด") == [] and ids("title:อัล") == []
