"""Did-you-mean: nearest vocabulary words when a query finds nothing, Thai and English."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bkklib.search import index, suggest

from .conftest import make_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    index.index_documents([
        make_doc(1, "Harry Potter and the Philosopher's Stone", author="J. K. Rowling"),
        make_doc(2, "สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช"),
        make_doc(3, "ประวัติศาสตร์ไทย", subject="ไทย -- ประวัติศาสตร์"),
        make_doc(4, "Thai history", subject="Thailand -- History"),
    ])


def test_an_english_typo_suggests_the_word_of_the_catalog(shelf):
    result = index.search("hary poter")

    assert result.total == 0
    assert result.suggestions[0] == "harry potter"
    assert index.search(result.suggestions[0]).total == 1


def test_a_thai_typo_suggests_the_thai_word(shelf):
    result = index.search("ประวัติศาตร์")  # ส missing

    assert result.total == 0
    assert "ประวัติศาสตร์" in result.suggestions[0]


def test_a_wrong_tone_mark_is_a_near_word(shelf):
    assert index.search("คึกฤทธ์").suggestions  # thanthakhat on the wrong letter


def test_no_suggestion_when_something_is_found_or_nothing_is_near(shelf):
    assert index.search("harry").suggestions == []
    assert index.search("zzzzqqqq").suggestions == []


def test_no_spelling_suggestion_when_only_the_filters_exclude_everything(shelf):
    result = index.search("harry", filters={"branch": ["NOWHERE"]})

    assert result.total == 0 and result.suggestions == []


def test_edit_distance_stops_early_past_the_limit():
    assert suggest.distance("kitten", "sitting", 3) == 3
    assert suggest.distance("kitten", "sitting", 1) == 2  # limit + 1: "further than allowed"
    assert suggest.distance("แผ่นดิน", "แผ่นดน", 2) == 1


@settings(max_examples=400, deadline=None)
@given(st.text("กขคงabcdeอ่้", min_size=1, max_size=12), st.text("กขคงabcdeอ่้", min_size=1, max_size=12),
       st.integers(min_value=1, max_value=3))
def test_the_compiled_edit_distance_is_the_reference_one(a, b, limit):
    found = process.extract(a, [b], scorer=Levenshtein.distance, score_cutoff=limit, limit=None)
    expected = min(suggest.distance(a, b, limit), limit + 1)  # any value past the limit means "too far"
    assert (found[0][1] if found else limit + 1) == expected
