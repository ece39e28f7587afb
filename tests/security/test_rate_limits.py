"""Rate limits on staff log-in, registration and search, keyed on the real client address (issue 30).

``X-Forwarded-For`` counts only when ``BKKLIB_TRUSTED_PROXIES`` says a proxy of our own wrote it:
without one, a client that writes a new address in every request is still one address.
"""
import pytest
from django.core.cache import cache
from django.test import Client

from bkklib.core import ratelimit
from bkklib.staff import login

pytestmark = pytest.mark.django_db


def try_password(client, username="somchai", password="wrong-password", **headers):
    return client.post("/staff/login/", {"username": username, "password": password}, **headers)


def test_staff_log_in_is_refused_after_ten_tries_from_one_address_with_a_thai_message(client, librarian):
    for n in range(login.LOGIN_LIMIT.count):
        assert try_password(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    refused = try_password(client, password="pass-1234!", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert refused.status_code == 429
    assert "ลองใหม่" in refused.content.decode()  # "please wait N minutes and try again"
    assert "_auth_user_id" not in client.session  # even the right password waits


def test_behind_a_trusted_proxy_each_real_address_has_its_own_count(client, librarian, settings):
    settings.BKKLIB = {**settings.BKKLIB, "TRUSTED_PROXIES": 1}
    for _ in range(login.LOGIN_LIMIT.count):
        try_password(client, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert try_password(client, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # Another reader behind the same proxy logs in; a forged left-hand address changes nothing.
    assert try_password(client, password="pass-1234!", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
    assert try_password(Client(), HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7").status_code == 429


def test_one_user_name_is_limited_whatever_the_address(client, librarian, settings):
    settings.BKKLIB = {**settings.BKKLIB, "TRUSTED_PROXIES": 1}
    for n in range(login.LOGIN_USER_LIMIT.count):
        try_password(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert try_password(client, password="pass-1234!", HTTP_X_FORWARDED_FOR="203.0.113.200").status_code == 429


def test_the_admin_log_in_is_the_staff_log_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/staff/login/?next=/admin/"


def test_self_registration_is_limited_per_address(client):
    from bkklib.opac.account_views import REGISTER_LIMIT

    cache.set(f"ratelimit:{REGISTER_LIMIT.scope}:127.0.0.1", REGISTER_LIMIT.count, 60)
    assert client.get("/account/register/").status_code == 200  # reading the form is not counted
    refused = client.post("/account/register/", {"first_name": "สมหญิง"})
    assert refused.status_code == 429 and "ลองใหม่" in refused.content.decode()


def test_the_search_page_is_limited_generously(client, settings):
    from bkklib.opac.catalog_views import SEARCH_LIMIT

    assert SEARCH_LIMIT.count == settings.BKKLIB["SEARCH_PER_MINUTE"] == 120 and SEARCH_LIMIT.window == 60
    assert client.get("/search/?q=x").status_code == 200
    cache.set(f"ratelimit:{SEARCH_LIMIT.scope}:127.0.0.1", SEARCH_LIMIT.count, 60)
    refused = client.get("/search/?q=x")
    assert refused.status_code == 429 and refused["Retry-After"] == str(SEARCH_LIMIT.window)
    assert client.get("/search/?q=x", REMOTE_ADDR="192.0.2.1").status_code == 200


def test_the_records_api_answers_429_problem_json(client):
    from bkklib.catalog.api import SEARCH_LIMIT

    assert client.get("/api/v1/records/?q=x").status_code == 200
    cache.set(f"ratelimit:{SEARCH_LIMIT.scope}:127.0.0.1", SEARCH_LIMIT.count, 60)
    refused = client.get("/api/v1/records/?q=x")
    assert refused.status_code == 429 and refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == ratelimit.RateLimited.code and refused.json()["status"] == 429
    assert refused["Retry-After"] == str(SEARCH_LIMIT.window)  # RFC 6585: when to try again
