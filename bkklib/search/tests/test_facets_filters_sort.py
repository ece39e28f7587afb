"""Facet counts, filters, year ranges, sort orders and pages — the same in memory and from the database."""
import pytest
from django.db import transaction

from bkklib.search import docvalues, engine, index
from bkklib.search.backends import for_connection

from .conftest import make_doc

pytestmark = pytest.mark.django_db

FACETS = ["branch", "material_type", "language", "year", "availability"]


def catalog():
    return [
        make_doc(1, "แมวเหมียว", branch=["B01", "B02"], year=2001),
        make_doc(2, "เกมแมว", branch=["B02"], material_type="ebook", year=2019, available=False),
        make_doc(3, "ไก่กับแมว", branch=["B03"], language="eng", year=2010),
        make_doc(4, "โต๊ะของแมว", branch=["B01"], year=None),
        make_doc(5, "ใจแมว", branch=["B01"], material_type="dvd", year=2019),
        make_doc(6, "กาแมว", branch=["B02"], language="eng", year=1999, available=False),
    ]


def ids(result):
    return [h.id for h in result.hits]


def test_facets_count_every_match_most_frequent_first():
    index.index_documents(catalog())

    result = index.search("แมว", facets=FACETS)

    assert result.total == 6
    assert result.facets["branch"] == [("B01", 3), ("B02", 3), ("B03", 1)]
    assert result.facets["material_type"] == [("book", 4), ("dvd", 1), ("ebook", 1)]
    assert result.facets["language"] == [("tha", 4), ("eng", 2)]
    assert result.facets["year"] == [("2019", 2), ("1999", 1), ("2001", 1), ("2010", 1)]
    assert result.facets["availability"] == [("available", 4), ("unavailable", 2)]


def test_values_of_one_facet_are_alternatives_and_facets_combine():
    index.index_documents(catalog())

    either = index.search("แมว", filters={"branch": ["B01", "B03"]}, facets=["language"])
    both = index.search("แมว", filters={"branch": ["B01"], "language": ["tha"], "availability": ["available"]})

    assert sorted(ids(either)) == [1, 3, 4, 5] and either.facets["language"] == [("tha", 3), ("eng", 1)]
    assert sorted(ids(both)) == [1, 4, 5]


def test_year_range_keeps_records_with_a_year_inside_it():
    index.index_documents(catalog())

    assert sorted(ids(index.search("แมว", year_from=2001, year_to=2019))) == [1, 2, 3, 5]
    assert sorted(ids(index.search("แมว", year_from=2015))) == [2, 5]
    assert sorted(ids(index.search("แมว", year_to=2000))) == [6]


def test_an_unknown_facet_counts_nothing_and_an_unknown_value_filters_everything_out():
    index.index_documents(catalog())

    assert index.search("แมว", facets=["colour"]).facets == {"colour": []}
    assert index.search("แมว", filters={"branch": ["NOPE"]}).total == 0


def test_title_order_is_thai_dictionary_order_with_leading_vowels():
    index.index_documents(catalog())

    result = index.search("แมว", sort="title")

    # กา, เกม, ไก่, ใจ, โต๊ะ, แมว: leading vowels เ แ โ ใ ไ sort by the consonant after them.
    assert ids(result) == [6, 2, 3, 5, 4, 1]


def test_newest_first_puts_records_without_a_year_last():
    index.index_documents(catalog())

    assert ids(index.search("แมว", sort="newest")) == [5, 2, 3, 1, 6, 4]


def test_pages_split_the_same_order():
    index.index_documents(catalog())

    pages = [ids(index.search("แมว", sort="title", page=p, page_size=4)) for p in (1, 2, 3)]

    assert pages == [[6, 2, 3, 5], [4, 1], []]


def test_an_empty_query_browses_everything_with_filters_and_facets():
    index.index_documents(catalog())

    result = index.search("", filters={"branch": ["B02"]}, facets=["material_type"], sort="newest")

    assert ids(result) == [2, 1, 6] and result.facets["material_type"] == [("book", 2), ("ebook", 1)]


@pytest.mark.django_db(transaction=True)
def test_in_memory_facets_and_remembered_matches_agree_with_the_database_and_follow_changes(monkeypatch):
    monkeypatch.setattr(engine, "REMEMBER_FROM", 1)  # remember every match, to test the patching
    index.index_documents(catalog())

    def both(**kw):
        fast = index.search("แมว", facets=FACETS, **kw)
        with monkeypatch.context() as m:
            m.setattr(docvalues, "current", lambda backend: None)
            slow = index.search("แมว", facets=FACETS, **kw)
        assert (fast.total, ids(fast), fast.facets) == (slow.total, ids(slow), slow.facets)
        return fast

    both()
    assert docvalues.peek(for_connection()) is not None  # the fast path was taken
    both(filters={"branch": ["B01"]}, sort="title")
    both(year_from=2005, sort="newest")

    index.index_documents([make_doc(7, "แมวดำ", branch=["B09"], year=2024), make_doc(1, "หมาเหมียว")])
    index.delete_documents([2])
    after = both()

    assert after.total == 5 and 7 in ids(after) and 1 not in ids(after) and 2 not in ids(after)
    assert ("B09", 1) in after.facets["branch"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_never_reaches_the_in_memory_facets():
    index.index_documents(catalog())
    index.search("แมว", facets=FACETS)
    with pytest.raises(RuntimeError), transaction.atomic():
        index.index_documents([make_doc(8, "แมวส้ม", branch=["B77"])])
        assert ("B77", 1) in index.search("แมว", facets=["branch"]).facets["branch"]  # its own change
        raise RuntimeError("roll back")

    result = index.search("แมว", facets=["branch"])

    assert result.total == 6 and "B77" not in dict(result.facets["branch"])


def test_warming_loads_the_in_memory_values_a_first_search_would_load():
    """deploy/gunicorn.conf.py warms each new worker so that its first reader does not wait for the load."""
    index.index_documents(catalog())
    docvalues.forget()

    assert index.warm() is True
    warmed = docvalues.peek(for_connection())
    assert warmed is not None
    index.search("แมว", facets=FACETS)
    assert docvalues.peek(for_connection()) is warmed  # the search used what the warm-up loaded


def test_facet_columns_count_and_filter_like_a_plain_count_through_changes():
    """Documents holding several values, changed and removed in memory, count as a plain tally says."""
    import random

    import numpy as np

    rng = random.Random(7)
    branches = [f"B{i:02d}" for i in range(12)]
    held: dict[int, list[str]] = {}
    values = docvalues.DocValues("test")

    def facet_text(chosen):
        return "\n".join(f"branch\t{b}" for b in chosen)

    rows = []
    for doc_id in range(1, 400):
        held[doc_id] = rng.sample(branches, rng.choice((0, 1, 1, 2, 3)))
        rows.append((doc_id, facet_text(held[doc_id]), 2000))
    values.bulk_load(rows)
    values.columns["branch"].mask(np.array([1]), ["B03"])  # a filter mask exists before the changes
    for doc_id in rng.sample(range(1, 400), 120):
        if rng.random() < 0.3:
            values.remove(doc_id)
            held[doc_id] = []
        else:
            held[doc_id] = rng.sample(branches, rng.choice((0, 1, 2, 4)))
            values.put(doc_id, facet_text(held[doc_id]), 2001)

    for _ in range(20):
        slots = np.array(sorted(rng.sample(range(1, 400), rng.randint(1, 398))), dtype=np.int64)
        tally: dict[str, int] = {}
        for doc_id in slots:
            for branch in held[int(doc_id)]:
                tally[branch] = tally.get(branch, 0) + 1
        expected = sorted(tally.items(), key=lambda p: (-p[1], p[0]))[:5]
        assert values.counts(slots, ["branch"], 5)["branch"] == expected
        wanted = rng.sample(branches, 2)
        kept = values.filter(slots, {"branch": wanted}, None, None)
        assert list(kept) == [s for s in slots if set(held[int(s)]) & set(wanted)]


@pytest.mark.django_db(transaction=True)
def test_ranking_beyond_the_candidate_bound_is_the_same_in_memory_and_from_the_database(monkeypatch):
    """Past CANDIDATES matches the best are chosen among the newest title (or field) matches; the
    in-memory path takes a field query's candidates from its matches, the database path asks again."""
    monkeypatch.setattr(engine, "CANDIDATES", 3)
    docs = []
    for n in range(1, 13):
        title = "ตำรายาไทย" if n % 3 else "สมุนไพรพื้นบ้าน"
        docs.append(make_doc(n, title, subject="ยาสมุนไพร -- ตำรา" if n % 2 else "การแพทย์แผนไทย",
                             branch=["B02"] if n % 3 == 0 else ["B01"], year=2000 + n))
    index.index_documents(docs)

    def both(q, **kw):
        fast = index.search(q, facets=FACETS, **kw)
        assert docvalues.peek(for_connection()) is not None  # the in-memory path answered
        with monkeypatch.context() as m:
            m.setattr(docvalues, "current", lambda backend: None)
            slow = index.search(q, facets=FACETS, **kw)
        assert (fast.total, ids(fast), fast.facets) == (slow.total, ids(slow), slow.facets)
        return fast

    assert both("subject:สมุนไพร").total == 6
    assert both("subject:สมุนไพร", filters={"branch": ["B01"]}).total == 4
    plain = both("สมุนไพร")  # the title candidates, then the newest other matches up to FILL_TO
    assert plain.total == 8 and ids(plain)[:4] == [9, 3, 12, 6]  # title and subject, then title only
    monkeypatch.setattr(engine, "FILL_TO", 0)
    first = both("สมุนไพร", page_size=2)  # only the newest three title matches were scored: 3 was not
    assert ids(first) == [9, 12]
    both("ยา", filters={"branch": ["B02"]})
