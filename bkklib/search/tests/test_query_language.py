"""The query language: parsing, field prefixes, boolean operators, ISBNs, absurd input."""
import pytest

from bkklib.search import index, query
from bkklib.search.query import And, Match, Not, Or

from .conftest import make_doc

pytestmark = pytest.mark.django_db


def test_words_are_all_required_and_a_thai_run_may_match_whole_or_as_its_words():
    assert query.parse("harry สี่แผ่นดิน") == And((
        Match((("harry",),)),
        Match((("สี่แผ่นดิน",), ("สี่", "แผ่น", "ดิน"))),
    ))


def test_phrases_fields_and_operators_parse_into_a_tree():
    node = query.parse('author:(ศรีบูรพา OR "kulap saipradit") NOT นิทาน title:"ข้างหลัง"')

    assert node == And((
        Or((Match((("ศรีบูรพา",), ("ศรี", "บูรพา")), "author"), Match((("kulap", "saipradit"),), "author"))),
        Not(Match((("นิทาน",),))),
        Match((("ข้างหลัง",), ("ข้าง", "หลัง")), "title"),
    ))


def test_thai_field_names_work_like_english_ones():
    assert query.parse("ผู้แต่ง:ศรีบูรพา") == query.parse("author:ศรีบูรพา")
    assert query.parse("ชื่อเรื่อง:ภาพ") == query.parse("title:ภาพ")


@pytest.mark.parametrize("typed", ["isbn:978-0-306-40615-7", "isbn:0306406152", "0-306-40615-2", "9780306406157",
                                   "ISBN:978 0 306 40615 7"])
def test_any_isbn_form_becomes_the_isbn_13_key(typed):
    assert query.parse(typed) == Match((("isbn9780306406157",),))


def test_unclosed_quotes_and_parentheses_close_at_the_end():
    assert query.parse('"harry potter') == Match((("harry", "potter"),))
    assert query.parse("(harry OR potter") == Or((Match((("harry",),)), Match((("potter",),))))


@pytest.mark.parametrize("absurd", ["", "   ", "!!!", "((((", "NOT", "AND OR NOT", '""', "-", "title:", "\u200b\u200b"])
def test_a_query_with_nothing_to_search_gives_a_friendly_error_or_everything(absurd):
    result = index.search(absurd)

    assert result.query_error or (absurd.strip() in ("", "\u200b\u200b") and result.query_error is None)


@pytest.mark.parametrize("absurd", [
    "x" * 10_000,
    "ก" * 10_000,
    "'; DROP TABLE search_searchdoc; --",
    '<script>alert("x")</script>',
    "title:title:title:",
    "\x00\x01\x02 harry",
    "*" * 50,
    "a " * 300,
    '"\' OR 1=1 --',
    "NEAR(a b) {title}: ^a",
])
def test_absurd_input_never_raises(absurd):
    index.index_documents([make_doc(1, "Harry Potter")])

    result = index.search(absurd, facets=["branch"])

    assert result.total >= 0
    assert index.count() == 1


def test_too_long_a_query_is_refused_with_a_message():
    result = index.search("x" * 10_000)

    assert result.total == 0 and "500" in result.query_error


def test_only_negations_are_refused_with_a_message():
    assert "NOT" in index.search("NOT harry").query_error


def test_bad_paging_and_sort_values_do_not_raise():
    index.index_documents([make_doc(1, "Harry Potter")])

    assert index.search("harry", page=-3, page_size=10**9).page_size == 500
    assert index.search("harry", page="x").page == 1
    assert index.search("harry", sort="sideways").query_error
    assert index.search("harry", year_from="last year").query_error


def test_the_query_error_speaks_the_readers_language():
    from django.utils import translation

    with translation.override("th"):
        thai = index.search("!!!").query_error
    with translation.override("en"):
        english = index.search("!!!").query_error

    assert thai == "กรุณาพิมพ์คำที่ต้องการค้น: คำค้นนี้ไม่มีตัวอักษรหรือตัวเลขเลย"
    assert english.startswith("Type a word to search for")
