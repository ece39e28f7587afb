"""Pages are Thai unless the visitor chose English; the API follows Accept-Language."""
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_a_page_is_thai_even_when_the_browser_asks_for_english(client):
    response = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="th">' in response.content.decode()


def test_the_language_switch_makes_pages_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/staff/login/")
    assert '<html lang="en">' in response.content.decode()


def test_the_api_follows_accept_language(client):
    thai = client.get("/api/v1/no-such-resource/", HTTP_ACCEPT_LANGUAGE="th")
    english = client.get("/api/v1/no-such-resource/", HTTP_ACCEPT_LANGUAGE="en")
    assert thai["Content-Language"] == "th"
    assert english["Content-Language"] == "en"
