"""What a reader sees when the database cannot be reached: 503 in Thai (page) or problem JSON (API), never a 500.

A view failing with the database's OperationalError stands in for the database going away (the
PostgreSQL scenario in test_web_tier.py does it for real); these run on either engine.
"""
import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from bkklib import urls as project_urls


def failing_view(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


urlpatterns = [
    path("staff/circulation/broken/", failing_view),
    path("api/v1/broken/", failing_view),
    *project_urls.urlpatterns,
]
handler500 = project_urls.handler500


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_page_shows_the_thai_503_page_when_the_database_is_away(client):
    response = client.get("/staff/circulation/broken/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "ระบบไม่พร้อมใช้งานชั่วคราว" in page and "ส่งอีกครั้ง" in page and 'href="/staff/"' in page
    assert "OperationalError" not in page and "5432" not in page


def test_the_api_answers_503_problem_json_when_the_database_is_away(client):
    response = client.get("/api/v1/broken/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "unavailable" and body["status"] == 503
    assert body["title"] == "The service is unavailable for a moment."


def test_any_other_crash_is_still_the_500_page(client, settings):
    def crash(request):
        raise ValueError("a bug")

    urlpatterns.insert(0, path("staff/crash/", crash))
    try:
        response = client.get("/staff/crash/")
    finally:
        urlpatterns.pop(0)
    assert response.status_code == 500 and "Retry-After" not in response
