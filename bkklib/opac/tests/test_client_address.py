"""The sign-in rate limit counts the real connection, not an X-Forwarded-For the client wrote."""
import pytest

from bkklib.opac import rules

pytestmark = pytest.mark.django_db
TOO_MANY = "พยายามหลายครั้งเกินไป"


def attempts(client, count, **headers):
    page = None
    for n in range(count):
        page = client.post("/account/", {"card": "1", "pin": "1"},
                           HTTP_X_FORWARDED_FOR=headers.get("forwarded", "").format(n=n),
                           REMOTE_ADDR=headers.get("remote", "127.0.0.1"))
    return page.content.decode()


def test_a_new_forged_x_forwarded_for_each_time_does_not_escape_the_limit(client, library, settings):
    settings.BKKLIB = {**settings.BKKLIB, "TRUSTED_PROXIES": 0}
    page = attempts(client, rules.IP_ATTEMPTS_PER_WINDOW + 1, forwarded="10.9.{n}.1", remote="198.51.100.7")
    assert TOO_MANY in page


def test_behind_a_trusted_proxy_each_client_has_its_own_count(client, library, settings):
    settings.BKKLIB = {**settings.BKKLIB, "TRUSTED_PROXIES": 1}
    # Forged left-hand hops change each time, but nginx saw the same client: it is limited.
    assert TOO_MANY in attempts(client, rules.IP_ATTEMPTS_PER_WINDOW + 1, forwarded="10.9.{n}.1, 203.0.113.9")
    # Another client behind the same proxy still gets in line.
    assert TOO_MANY not in attempts(client, 1, forwarded="203.0.113.10")
