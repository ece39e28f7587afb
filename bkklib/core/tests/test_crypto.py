"""core.crypto: Fernet per purpose, altered values refused, key rotation, keyed fingerprints."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bkklib.core import crypto


@given(st.text(min_size=1, max_size=200))
def test_any_text_round_trips_and_is_not_stored_in_the_clear(text):
    token = crypto.encrypt(text, purpose="t.one")
    assert crypto.decrypt(token, purpose="t.one") == text
    if len(text) > 3:
        assert text not in token


def test_an_altered_value_or_another_purposes_key_is_refused():
    token = crypto.encrypt("1101700203501", purpose="t.one")
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt(token, purpose="t.two")
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"), purpose="t.one")
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt("not a token", purpose="t.one")
    assert crypto.encrypt("", purpose="t.one") == "" and crypto.decrypt("", purpose="t.one") == ""


def test_old_keys_still_decrypt_and_rotate_rewrites_under_the_newest(settings):
    settings.DATA_KEYS = ["old-key-" + "x" * 40]
    token = crypto.encrypt("ที่อยู่ 12 ถนนสาธิต", purpose="t.one")
    settings.DATA_KEYS = ["new-key-" + "y" * 40, "old-key-" + "x" * 40]
    assert crypto.decrypt(token, purpose="t.one") == "ที่อยู่ 12 ถนนสาธิต"
    rotated = crypto.rotate(token, purpose="t.one")
    settings.DATA_KEYS = ["new-key-" + "y" * 40]
    assert crypto.decrypt(rotated, purpose="t.one") == "ที่อยู่ 12 ถนนสาธิต"
    with pytest.raises(crypto.Unreadable):
        crypto.decrypt(token, purpose="t.one")


def test_fingerprints_are_equal_for_equal_values_and_differ_per_purpose():
    one = crypto.fingerprint("1101700203501", purpose="t.one")
    assert one == crypto.fingerprint("1101700203501", purpose="t.one")
    assert one != crypto.fingerprint("1101700203502", purpose="t.one")
    assert one != crypto.fingerprint("1101700203501", purpose="t.two")
    assert len(one) == 64
