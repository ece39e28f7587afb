"""Pasted titles: dashes, quotes and brackets inside them are text, not operators, when read as operators finds nothing."""
import pytest

from bkklib.search import index, query
from bkklib.search.query import Not

from .conftest import make_doc

pytestmark = pytest.mark.django_db

EIGHTY_SIX = "86 -เอทตี้ซิกซ์- เล่ม 1"


def _ids(result):
    return [h.id for h in result.hits]


def _has_not(node) -> bool:
    if isinstance(node, Not):
        return True
    return any(_has_not(c) for c in getattr(node, "children", ()))


def test_a_word_between_dashes_is_a_word_not_a_negation():
    assert not _has_not(query.parse(EIGHTY_SIX))
    assert not _has_not(query.parse("Spider-Man --Homecoming"))
    assert _has_not(query.parse("แมว -หมา"))  # a leading dash alone still leaves a word out
    assert _has_not(query.parse('แมว -"หมา ไทย"')) and _has_not(query.parse("แมว -(หมา OR ไก่)"))


def test_a_pasted_title_with_dashes_finds_its_record():
    index.index_documents([make_doc(1, EIGHTY_SIX), make_doc(2, "86 -เอทตี้ซิกซ์- เล่ม 2"), make_doc(3, "เล่ม 1")])

    result = index.search(EIGHTY_SIX)

    assert _ids(result)[0] == 1 and 3 not in _ids(result)
    assert not result.read_as_words


@pytest.mark.parametrize("pasted", ["86 -เอทตี้ซิกซ์ เล่ม 1", '"เล่ม 1 86" เอทตี้ซิกซ์', "86 (เอทตี้ซิกซ์ -เล่ม 1)"])
def test_punctuation_read_as_operators_that_finds_nothing_is_searched_as_words(pasted):
    index.index_documents([make_doc(1, EIGHTY_SIX), make_doc(3, "แมวเหมียว")])

    result = index.search(pasted)

    assert _ids(result) == [1] and result.read_as_words and result.total == 1


def test_a_negation_that_finds_something_keeps_its_meaning():
    index.index_documents([make_doc(1, "แมวเหมียว"), make_doc(2, "แมวกับหมา")])

    result = index.search("แมว -หมา")

    assert _ids(result) == [1] and not result.read_as_words


def test_nothing_found_either_way_stays_nothing_with_suggestions_unchanged():
    index.index_documents([make_doc(1, "แมวเหมียว")])

    result = index.search("ดาราศาสตร์ -กล้อง")

    assert result.total == 0 and not result.read_as_words
