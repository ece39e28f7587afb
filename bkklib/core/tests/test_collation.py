"""Thai dictionary order (ICU), not code-point order, for lists people scan."""
from bkklib.core.collation import sort_key, thai_sorted


def test_a_leading_vowel_sorts_by_the_consonant_it_is_read_with():
    assert sorted(["คลองสามวา", "คลองเตย"]) == ["คลองสามวา", "คลองเตย"]  # code points: เ after ส
    assert thai_sorted(["คลองสามวา", "คลองเตย"]) == ["คลองเตย", "คลองสามวา"]


def test_thai_sorted_orders_objects_by_a_key_and_groups_by_non_text_parts_first():
    rows = [(2, "ไทรน้อย"), (1, "บางรัก"), (1, "เกียกกาย"), (2, "กกกก")]

    assert thai_sorted(rows, key=lambda r: r) == [(1, "เกียกกาย"), (1, "บางรัก"), (2, "กกกก"), (2, "ไทรน้อย")]


def test_empty_and_missing_texts_sort_first_without_error():
    assert thai_sorted(["ข", None, "", "ก"], key=lambda v: v)[2:] == ["ก", "ข"]
    assert sort_key(None) == sort_key("")
