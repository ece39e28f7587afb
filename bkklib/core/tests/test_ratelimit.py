"""core.ratelimit: one fixed-window counter per scope and client address, refusing with 429."""
import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from bkklib.core import ratelimit


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


LIMIT = ratelimit.Limit("test-form", 3, 600)


def test_limit_counts_per_key_and_refuses_past_it():
    for _ in range(3):
        ratelimit.check(LIMIT, "a")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.check(LIMIT, "a")
    assert refused.value.status == 429
    assert "10" in refused.value.text  # "wait 10 minutes"
    ratelimit.check(LIMIT, "b")  # another address has its own count
    ratelimit.reset(LIMIT, "a")
    ratelimit.check(LIMIT, "a")


def test_scopes_do_not_share_counts():
    other = ratelimit.Limit("other-form", 1, 60)
    ratelimit.check(other, "a")
    for _ in range(3):
        ratelimit.check(LIMIT, "a")


def test_decorator_counts_posts_only_by_client_address(settings):
    settings.BKKLIB_TRUSTED_PROXIES = []
    view = ratelimit.rate_limited(LIMIT)(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    for _ in range(10):
        assert view(factory.get("/", REMOTE_ADDR="198.51.100.1")).status_code == 200
    for n in range(3):
        # A forged X-Forwarded-For from an untrusted peer does not give a fresh count.
        request = factory.post("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        assert view(request).status_code == 200
    with pytest.raises(ratelimit.RateLimited):
        view(factory.post("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="10.0.0.99"))
    assert view(factory.post("/", REMOTE_ADDR="198.51.100.2")).status_code == 200
