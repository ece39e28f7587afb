"""Error pages are Thai (English when chosen), offer a way back, and wear the style of the part of the
site they answer for: the back office for /staff/ addresses, the public site elsewhere."""
import pytest
from django.conf import settings
from django.test import Client

from bkklib.core import roles
from bkklib.errors import server_error
from bkklib.network.tests.factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db

STAFF_STYLE = 'bkklib · ระบบงานเจ้าหน้าที่</a>'
PUBLIC_STYLE = '<header class="site opac">'


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def branch_staff(client):
    user = staff_user(roles.BRANCH_STAFF, BranchFactory())
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def test_branch_staff_refused_a_page_get_the_thai_staff_403_page(branch_staff):
    response = branch_staff.get("/staff/circulation/notices/")

    html = page(response)
    assert response.status_code == 403
    assert "คุณไม่มีสิทธิ์เปิดหน้านี้" in html and "Forbidden" not in html
    assert STAFF_STYLE in html and PUBLIC_STYLE not in html
    assert 'href="/staff/"' in html  # back to the back office home
    assert 'href="/staff/login/?next=/staff/circulation/notices/"' in html


def test_the_403_page_is_english_when_the_user_chose_english(branch_staff):
    branch_staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = branch_staff.get("/staff/circulation/notices/")

    assert response.status_code == 403
    assert "You may not open this page" in page(response)
    assert '<html lang="en">' in page(response)


def test_an_unknown_staff_address_gets_the_thai_staff_404_page(branch_staff):
    response = branch_staff.get("/staff/no-such-page/")

    html = page(response)
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in html and "Not Found" not in html
    assert STAFF_STYLE in html and 'href="/staff/"' in html


def test_an_unknown_public_address_gets_the_thai_public_404_page(client):
    response = client.get("/no-such-page/")

    html = page(response)
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in html
    assert PUBLIC_STYLE in html and STAFF_STYLE not in html
    assert 'href="/"' in html and 'href="/libraries/"' in html


def test_a_missing_record_keeps_its_own_reason_on_the_public_404_page(client):
    response = client.get("/records/999999/")

    assert response.status_code == 404
    assert PUBLIC_STYLE in page(response) and "ไม่พบหน้าที่ต้องการ" in page(response)


def test_a_bad_request_gets_the_thai_400_page(client):
    response = client.get("/libraries/", HTTP_HOST="not-our-host.example")

    html = page(response)
    assert response.status_code == 400
    assert "ระบบอ่านคำขอนี้ไม่ได้" in html and "Bad Request" not in html
    assert 'href="/"' in html


def test_a_form_with_an_expired_csrf_token_gets_the_thai_staff_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/staff/login/", {"username": "x", "password": "y"})

    html = page(response)
    assert response.status_code == 403
    assert "แบบฟอร์มนี้หมดอายุแล้ว" in html and "CSRF verification failed" not in html
    assert STAFF_STYLE in html and 'href="/staff/login/?next=/staff/login/"' in html


def test_a_public_form_with_an_expired_csrf_token_gets_the_public_page():
    response = Client(enforce_csrf_checks=True).post("/account/", {"card": "1", "pin": "2"})

    assert response.status_code == 403
    assert "แบบฟอร์มนี้หมดอายุแล้ว" in page(response) and PUBLIC_STYLE in page(response)


@pytest.mark.urls("bkklib.opac.tests.crash_urls")
@pytest.mark.parametrize(("path", "home"), [("/crash/", 'href="/"'), ("/staff/crash/", 'href="/staff/"')])
def test_a_crash_gets_the_thai_500_page_of_its_part_of_the_site(path, home):
    client = Client(raise_request_exception=False)

    response = client.get(path)

    html = page(response)
    assert response.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in html and "Server Error" not in html
    assert home in html and "history.back()" in html
    assert ("ระบบงานเจ้าหน้าที่" in html) == path.startswith("/staff/")


def test_the_500_page_renders_without_the_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/staff/crash/"))

    assert response.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in page(response)
    assert "<link" not in page(response)  # self-contained: no static file to fail
