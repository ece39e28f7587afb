"""The import's own ISBN check digits agree with python-stdnum on every 10- and 13-character string."""
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean
from stdnum import isbn as stdisbn

from bkklib.catalog.marc.extract import isbn13_of, normalise_isbn

DIGITS = st.text("0123456789", min_size=9, max_size=9)


def stdnum_isbn13(compact: str) -> str | None:
    return stdisbn.compact(stdisbn.to_isbn13(compact)) if stdisbn.is_valid(compact) else None


@settings(max_examples=3000, deadline=None)
@given(st.one_of(
    DIGITS.map(lambda d: "978" + d),  # 12 digits + a check digit below
    DIGITS.map(lambda d: "979" + d),
    DIGITS.map(lambda d: "123" + d),
    DIGITS,
), st.sampled_from("0123456789Xx"))
def test_check_digits_agree_with_stdnum(body, check):
    for candidate in (body + check, body[:9] + check):
        if len(candidate) in (10, 13):
            assert isbn13_of(candidate) == stdnum_isbn13(candidate), candidate


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_every_valid_isbn_is_found_in_its_written_forms(n):
    digits = f"978{n:09d}" + ean.calc_check_digit(f"978{n:09d}")
    isbn10 = stdisbn.to_isbn10(digits)
    assert normalise_isbn(digits) == digits
    assert normalise_isbn(f"{digits[:3]}-{digits[3:6]}-{digits[6:12]}-{digits[12]} (pbk.)") == digits
    assert normalise_isbn(isbn10) == digits


def test_a_wrong_check_digit_is_no_isbn():
    assert normalise_isbn("9786161234568") is None
    assert normalise_isbn("0-306-40615-3") is None  # the valid one ends in 2
    assert normalise_isbn("0-306-40615-2") == "9780306406157"
