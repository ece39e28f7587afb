"""Library-card check digits are python-stdnum's Luhn digits (a mistyped digit or swapped pair is caught)."""
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from bkklib.circulation.services.patrons import card_number_for, luhn_digit


@given(st.text("0123456789", min_size=1, max_size=20))
def test_the_check_digit_makes_a_valid_luhn_number(digits):
    assert luhn.is_valid(digits + luhn_digit(digits))


def test_issued_card_numbers_pass_the_luhn_check_and_a_typo_does_not():
    for pk in (1, 7, 42, 123_456, 99_999_999_999):
        number = card_number_for(pk)
        assert len(number) == 13 and luhn.is_valid(number)
        typo = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
        assert not luhn.is_valid(typo)
    assert luhn_digit("7992739871") == "3"  # the textbook example
