"""The one check of ``next`` targets, and the client address behind (or not behind) trusted proxies."""
import pytest
from django.test import RequestFactory

from bkklib.core.clients import client_ip
from bkklib.core.redirects import is_safe_target, safe_next

rf = RequestFactory()


@pytest.mark.parametrize("target, safe", [
    ("/staff/network/coverage/", True),
    ("/account/?tab=loans", True),
    ("http://testserver/staff/", True),
    ("https://evil.example/", False),
    ("//evil.example/path", False),
    ("/\\evil.example", False),
    ("javascript:alert(1)", False),
    ("", False),
])
def test_only_targets_on_this_site_are_safe(target, safe):
    assert is_safe_target(rf.get("/"), target) is safe
    followed = safe_next(rf.post("/", {"next": target}), "/fallback/")
    assert followed == (target if safe else "/fallback/")


def test_https_requests_are_not_sent_back_to_plain_http():
    request = rf.get("/", {"next": "http://testserver/staff/"}, secure=True)
    assert safe_next(request, "/fallback/") == "/fallback/"


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.BKKLIB = {**settings.BKKLIB, "TRUSTED_PROXIES": 0}
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_behind_one_trusted_proxy_the_address_it_saw_counts_not_what_the_client_wrote(settings):
    settings.BKKLIB = {**settings.BKKLIB, "TRUSTED_PROXIES": 1}
    # The client wrote "1.2.3.4"; nginx appended the address it really saw.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.9"
    two = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.2", REMOTE_ADDR="127.0.0.1")
    settings.BKKLIB = {**settings.BKKLIB, "TRUSTED_PROXIES": 2}
    assert client_ip(two) == "203.0.113.9"
    # Fewer hops than trusted proxies: the request did not come through them.
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"
