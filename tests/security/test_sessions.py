"""Sessions on shared public-library computers: idle expiry for patrons and staff, end at browser close."""
import time

import pytest

from bkklib.core.middleware import IdleSessionExpiry

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def age_session(client, seconds: int) -> None:
    session = client.session
    session[IdleSessionExpiry.KEY] = int(time.time()) - seconds
    session.save()


def test_the_session_cookie_ends_with_the_browser_and_is_httponly_and_samesite(client, librarian):
    response = client.post("/staff/login/", {"username": "somchai", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_staff_session_ends_after_the_staff_idle_time(client, librarian, settings):
    settings.STAFF_IDLE_MINUTES = 60
    client.force_login(librarian)
    client.get("/staff/")
    age_session(client, 59 * 60)
    assert client.get("/staff/").status_code == 200  # still within the hour
    age_session(client, 61 * 60)
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain[0][0].startswith("/staff/login/")
    assert "ไม่มีการใช้งาน 60 นาที" in response.content.decode()


def test_a_patron_session_ends_sooner(client, settings):
    from bkklib.opac.account import SESSION_KEY

    settings.PATRON_IDLE_MINUTES = 10
    session = client.session
    session[SESSION_KEY] = 12345
    session[IdleSessionExpiry.KEY] = int(time.time()) - 11 * 60
    session.save()
    page = client.get("/")
    assert SESSION_KEY not in client.session
    assert "ไม่มีการใช้งาน 10 นาที" in page.content.decode()


def test_browsing_keeps_a_session_alive_without_writing_it_on_every_page(client, librarian):
    client.force_login(librarian)
    client.get("/staff/")
    first = client.session[IdleSessionExpiry.KEY]
    client.get("/staff/")
    assert client.session[IdleSessionExpiry.KEY] == first  # written at most once a minute
    age_session(client, 5 * 60)
    client.get("/staff/")
    assert int(time.time()) - client.session[IdleSessionExpiry.KEY] < 5
