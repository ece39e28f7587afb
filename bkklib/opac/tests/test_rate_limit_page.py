"""Sign-in past its rate limit (core.ratelimit) is refused with a Thai message."""
import pytest
from django.core.cache import cache

from bkklib.core import ratelimit
from bkklib.opac import account, rules


@pytest.mark.django_db
def test_sign_in_past_the_limit_is_refused_in_thai(client):
    cache.clear()
    for _ in range(rules.IP_ATTEMPTS_PER_WINDOW):
        ratelimit.hit(account.SIGN_IN_LIMIT, "127.0.0.1")
    page = client.post("/account/", {"card": "2990000000017", "pin": "1234"}).content.decode()
    assert "พยายามหลายครั้งเกินไป" in page and "15 นาที" in page
    cache.clear()
