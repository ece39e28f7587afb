"""Words of another reading of a Thai run are indexed beside the segmenter's words (text.alternatives)."""
import importlib

import pytest
from django.db import connection

from bkklib.search import analysis, index, text
from bkklib.search.backends.base import ROW_COLUMNS

from .conftest import make_doc


def readings(title):
    return text.alternatives(text.runs(text.normalise(title)))


def test_a_cut_the_segmenter_settled_one_way_gives_the_words_of_the_other_way():
    # ICU: "ตะวัน ตกดิน", "ฉัน จึง มา หาความ หมาย"; read also "ตะวันตก ดิน", "มา หา ความหมาย".
    assert text.runs(text.normalise("ตะวันตกดิน")) == [["ตะวัน", "ตกดิน"]]
    assert {"ตะวันตก", "ดิน"} <= set(readings("ตะวันตกดิน"))
    assert {"ความหมาย", "ความ", "มาหา"} <= set(readings("ฉันจึงมาหาความหมาย"))


def test_only_the_words_of_readings_of_the_whole_run_count():
    # "ตะวัน ตก ดิน" only cuts the segmenter's "ตกดิน" (no boundary crossed): "ตก" is no other reading;
    # two-letter words ("กา", "รบ", "ริ") would read "การบริหาร" as "กา รบ ริ หาร".
    assert "ตก" not in readings("ตะวันตกดิน")
    assert not {"กา", "รบ", "ริ", "หาร"} & set(readings("การบริหารจัดการห้องสมุดประชาชน"))
    assert readings("จังหวัดเชียงใหม่") == [] and readings("ประวัติศาสตร์ไทย") == []
    # Words already indexed are not repeated; Latin runs have no other reading.
    assert not set(readings("ฉันจึงมาหาความหมาย")) & {"ฉัน", "จึง", "มา", "หาความ", "หมาย"}
    assert readings("one hundred years of solitude") == []


ALL_CONSONANTS = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"


@pytest.mark.parametrize("title", ["ก", "กก", "ๆๆๆ", "เเเเเ", "ะะะะ", "่่่่", ALL_CONSONANTS * 3])
def test_odd_runs_give_words_of_the_run_only(title):
    run = "".join(w for r in text.runs(text.normalise(title)) for w in r)
    assert all(word in run for word in readings(title))


@pytest.mark.django_db
def test_a_reader_s_word_across_the_segmenter_s_cut_finds_the_title_as_weak_evidence():
    index.index_documents([make_doc(1, "ตะวันตกดิน"), make_doc(2, "ดินและปุ๋ย"), make_doc(3, "ยุโรปตะวันตก")])

    assert [h.id for h in index.search("ดิน").hits] == [2, 1]  # the title's own word ranks first
    assert sorted(h.id for h in index.search("ตะวันตก").hits) == [1, 3]
    assert [h.id for h in index.search("title:ดิน").hits] == [2]


@pytest.mark.django_db
def test_the_migration_gives_older_documents_the_words_of_other_readings(monkeypatch):
    docs = [make_doc(1, "ตะวันตกดิน", author="กฤษณา อโศกสิน", subject="นวนิยายไทย\nกรุงเทพมหานคร"),
            make_doc(2, "ฉันจึงมาหาความหมาย : รวมบทความ"), make_doc(3, "One Hundred Years of Solitude")]
    monkeypatch.setattr(text, "alternatives", lambda runs: [])  # index as before the migration
    index.index_documents(docs)
    monkeypatch.undo()
    assert [h.id for h in index.search("ความหมาย").hits] == []

    migration = importlib.import_module("bkklib.search.migrations.0009_other_readings")
    migration.forwards(None, type("Editor", (), {"connection": connection})())

    assert [h.id for h in index.search("ความหมาย").hits] == [2]
    assert [h.id for h in index.search("ตะวันตก").hits] == [1]
    with connection.cursor() as cur:
        cur.execute("SELECT id, rest_x FROM search_searchdoc ORDER BY id")
        stored = cur.fetchall()
    column = ROW_COLUMNS.index("rest_x")
    assert stored == [(doc.id, analysis.prepare(doc)[0][column]) for doc in docs]
    assert "กรุงเทพ" in stored[0][1].split() and stored[2][1] == ""
