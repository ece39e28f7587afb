"""Optional TOTP two-factor log-in for staff (django-otp), and the setting that requires it for admins.

Codes are computed with django-otp's own TOTP implementation from the device's key, as an
authenticator app would from the QR code.
"""
import re
from base64 import b32decode
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bkklib.core import roles
from bkklib.network.tests.factories import staff_user

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.drift = drift
    return f"{totp.token():0{device.digits}d}"


def test_enrolling_shows_a_qr_code_and_is_confirmed_only_by_a_good_code(client, librarian, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp waits 2^n s after n wrong codes: not in this test
    client.force_login(librarian)
    page = client.get("/staff/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'data-two-factor="off"' in html
    device = TOTPDevice.objects.get(user=librarian, confirmed=False)
    # The text key is the QR code's secret: what an app without a camera is given.
    key = re.search(r"<code data-key>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
    url = urlparse(device.config_url)
    secret = parse_qs(url.query)["secret"][0]
    assert secret.rstrip("=") == key and b32decode(secret) == device.bin_key
    assert unquote(url.path).endswith("bkklib:somchai")

    wrong = client.post("/staff/two-factor/", {"code": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert "รหัสไม่ถูกต้อง" in wrong.content.decode()

    right = client.post("/staff/two-factor/", {"code": code(device)}, follow=True)
    assert 'data-two-factor="on"' in right.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_log_in_with_a_device_needs_the_code_after_the_password(client, librarian):
    device = TOTPDevice.objects.create(user=librarian, name="bkklib", confirmed=True)

    step_one = client.post("/staff/login/", {"username": "somchai", "password": PASSWORD})
    assert step_one.status_code == 302 and step_one["Location"] == "/staff/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/")["Location"].startswith("/staff/login/")  # not logged in yet

    assert client.post("/staff/login/verify/", {"code": "12345"}).status_code == 400  # not six digits
    assert "_auth_user_id" not in client.session
    used = code(device)
    done = client.post("/staff/login/verify/", {"code": used})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(librarian.pk)
    assert client.get("/staff/").status_code == 200
    # The same code cannot be used twice (django-otp remembers the last time step). The code used above,
    # not a new one: on a slow machine the 30-second step may have turned meanwhile.
    other = Client()
    other.post("/staff/login/", {"username": "somchai", "password": PASSWORD})
    assert other.post("/staff/login/verify/", {"code": used}).status_code == 400


def test_the_code_step_cannot_be_reached_without_the_password(client, librarian):
    TOTPDevice.objects.create(user=librarian, name="bkklib", confirmed=True)
    assert client.get("/staff/login/verify/")["Location"] == "/staff/login/"


def test_turning_two_factor_off_needs_a_code(client, librarian):
    device = TOTPDevice.objects.create(user=librarian, name="bkklib", confirmed=True)
    client.force_login(librarian)
    assert client.post("/staff/two-factor/", {"action": "disable", "code": "abc"}).status_code == 400
    assert TOTPDevice.objects.filter(user=librarian).exists()
    client.post("/staff/two-factor/", {"action": "disable", "code": code(device)})
    assert not TOTPDevice.objects.filter(user=librarian).exists()


def test_admins_must_enrol_when_the_setting_requires_it(client, librarian, settings):
    settings.OTP_REQUIRED_FOR_ADMINS = True
    admin = staff_user(roles.NETWORK_ADMIN, username="admin1")
    client.post("/staff/login/", {"username": "admin1", "password": PASSWORD})
    for path in ("/staff/", "/staff/network/branches/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/staff/two-factor/", path
    client.get("/staff/two-factor/")
    device = TOTPDevice.objects.get(user=admin)
    client.post("/staff/two-factor/", {"code": code(device)})
    assert client.get("/staff/").status_code == 200
    # Admins may not turn it off; a librarian is not asked to enrol at all.
    client.post("/staff/two-factor/", {"action": "disable", "code": code(device, drift=1)})
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    librarian_client = Client()
    librarian_client.post("/staff/login/", {"username": "somchai", "password": PASSWORD})
    assert librarian_client.get("/staff/").status_code == 200
