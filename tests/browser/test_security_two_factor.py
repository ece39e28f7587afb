"""Two-factor log-in in a real browser under the CSP: enrol by the QR page, then log in with a code."""
import pytest
from django_otp.oath import TOTP

from .world import staff_log_in

pytestmark = pytest.mark.browser


def code(device, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.drift = drift
    return f"{totp.token():0{device.digits}d}"


def test_enrol_with_the_qr_code_then_log_in_with_a_code(live_server, page, site_data, axe, shoot):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    user = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory(code="bkn"), username="somchai")
    staff_log_in(page, live_server.url, "somchai")
    page.get_by_role("link", name="การเข้าระบบสองขั้นตอน (รหัสจากโทรศัพท์)").click()
    assert page.locator(".qr-enrol svg").is_visible()
    axe(page, label="two-factor enrolment")
    shoot(page, "staff-two-factor-enrol")
    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("รหัส 6 หลักจากแอปยืนยันตัวตน").fill(code(device))
    page.get_by_role("button", name="เปิดการเข้าระบบสองขั้นตอน").click()
    page.locator('[data-two-factor="on"]').wait_for()

    page.get_by_role("button", name="ออกจากระบบ").click()
    page.get_by_label("ชื่อผู้ใช้").fill("somchai")
    page.get_by_label("รหัสผ่าน").fill("pass-1234!")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/staff/login/verify/")
    axe(page, label="two-factor code")
    shoot(page, "staff-two-factor-code")
    page.get_by_label("รหัส 6 หลักจากแอปยืนยันตัวตน").fill(code(device, drift=1))  # the next 30 s step: not reused
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/staff/")
