"""Thai national ID validation (python-stdnum) against the shared test vectors."""
import json

import pytest
from django.core.exceptions import ValidationError

from bkklib.core.thaiid import format_thai_id, is_valid_thai_id, normalise_thai_id


def test_known_valid_number_in_several_typings():
    assert is_valid_thai_id("1234545678781")
    assert normalise_thai_id("1-2345-45678-78-1") == "1234545678781"
    assert format_thai_id("1234545678781") == "1-2345-45678-78-1"


@pytest.mark.parametrize("bad", ["1234545678780", "123454567878", "0234545678781", "abcdefghijklm", ""])
def test_invalid_numbers_are_refused_with_a_specific_error(bad):
    assert not is_valid_thai_id(bad)
    with pytest.raises(ValidationError) as info:
        normalise_thai_id(bad)
    assert info.value.code == "invalid_thai_id"


def test_shared_vectors(shared_data):
    data = json.loads((shared_data / "thai_pin_test_vectors.json").read_text())
    for item in data["valid"]:
        assert is_valid_thai_id(item["pin"]), item
        assert format_thai_id(item["pin"]) == item["formatted"]
    for item in data["invalid"]:
        assert not is_valid_thai_id(item["pin"]), item
    assert len(data["valid"]) >= 2 and len(data["invalid"]) >= 2
