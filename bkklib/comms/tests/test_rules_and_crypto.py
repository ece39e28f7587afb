"""Pure rules (backoff, post state from variants) and the credentials cipher."""
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bkklib.comms import crypto, rules
from bkklib.comms.models import Channel
from bkklib.core.exceptions import Refused

NOW = datetime(2026, 12, 7, 5, 0)


def test_backoff_doubles_and_is_capped_and_honours_retry_after():
    assert [rules.backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert rules.backoff(30) == rules.MAX_DELAY
    assert rules.backoff(1, retry_after=900) == timedelta(seconds=900)


@pytest.mark.parametrize(("kind", "attempts", "state"), [
    ("auth", 1, "failed"), ("rejected", 1, "failed"), ("rate_limit", 1, "retry"), ("temporary", 4, "retry"),
    ("temporary", rules.MAX_ATTEMPTS, "failed"), ("unknown", 1, "failed")])
def test_after_failure(kind, attempts, state):
    assert rules.after_failure(attempts=attempts, kind=kind, now=NOW)[0] == state


def test_post_state_from_variants():
    assert rules.post_state(["published", "published"]) == "published"
    assert rules.post_state(["published", "failed"]) == "failed"
    assert rules.post_state(["published", "retry"]) is None
    assert rules.post_state(["failed", "sending"]) is None


@given(st.text(max_size=200))
def test_the_cipher_round_trips_any_text(text):
    token = crypto.encrypt(text)
    assert crypto.decrypt(token) == text
    if len(text) > 3:
        assert text not in token


def test_a_tampered_or_foreign_token_is_refused():
    token = crypto.encrypt("EAAG-page-token")
    raw = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    with pytest.raises(Refused):
        crypto.decrypt(raw)
    with pytest.raises(Refused):
        crypto.decrypt("gAAAAAplain")


def test_two_encryptions_of_one_token_differ(settings):
    assert crypto.encrypt("same") != crypto.encrypt("same")


@pytest.mark.django_db
def test_the_token_is_stored_encrypted_and_kept_out_of_history_and_repr(team):
    channel = Channel(kind="line", name="LINE สนส")
    channel.set_token("line-channel-token-XYZ")
    channel.save()
    stored = Channel.objects.values_list("credentials_encrypted", flat=True).get()
    assert "line-channel-token-XYZ" not in stored and stored.startswith("gAAAAA")  # a Fernet token
    assert Channel.objects.get().token == "line-channel-token-XYZ"
    assert "token" not in repr(channel) and "XYZ" not in str(channel)
    assert not hasattr(channel.history.model, "credentials_encrypted")
