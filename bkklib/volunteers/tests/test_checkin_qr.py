"""Check-in by the branch's QR poster: per-branch token, rotation by staff, the scan refused without a shift now."""
from datetime import datetime

import pytest
from django.utils import translation

from bkklib.core.exceptions import NotPermitted
from bkklib.volunteers import printing, services
from bkklib.volunteers.exceptions import NoShiftNow, UnknownCheckinCode
from bkklib.volunteers.models import Shift, Signup

from .conftest import BKK, NOW


@pytest.fixture
def on_roster(placed):
    shift = Shift.objects.create(branch=placed.branch, role=placed.role, starts_at=datetime(2025, 6, 2, 10, 15, tzinfo=BKK),
                                 ends_at=datetime(2025, 6, 2, 13, 0, tzinfo=BKK))
    placed.signup = services.sign_up(shift=shift, volunteer=placed.volunteer, now=datetime(2025, 6, 1, tzinfo=BKK))
    placed.token = services.checkin_point(placed.branch).token
    return placed


def test_a_scan_checks_in_then_out_of_the_shift_at_that_branch(on_roster):
    signup = services.scan_checkin(token=on_roster.token, volunteer=on_roster.volunteer, now=NOW)
    assert signup.status == Signup.Status.CHECKED_IN and signup.check_method == "qr"
    signup = services.scan_checkin(token=on_roster.token, volunteer=on_roster.volunteer,
                                   now=datetime(2025, 6, 2, 13, 0, tzinfo=BKK))
    assert signup.status == Signup.Status.CHECKED_OUT and signup.minutes == 180


def test_a_scan_without_a_shift_now_or_at_another_branch_is_refused_in_thai(on_roster):
    with translation.override("th"), pytest.raises(NoShiftNow) as caught:
        services.scan_checkin(token=on_roster.token, volunteer=on_roster.volunteer,
                              now=datetime(2025, 6, 2, 8, 0, tzinfo=BKK))
    assert on_roster.branch.name_th in caught.value.text and "ไม่มีกะ" in caught.value.text
    elsewhere = services.checkin_point(on_roster.other_branch).token
    with pytest.raises(NoShiftNow):
        services.scan_checkin(token=elsewhere, volunteer=on_roster.volunteer, now=NOW)
    assert Signup.objects.get(pk=on_roster.signup.pk).status == Signup.Status.SIGNED_UP


def test_rotating_the_token_retires_the_old_poster(on_roster):
    with pytest.raises(NotPermitted):
        services.rotate_checkin_token(branch=on_roster.branch, by=on_roster.other_librarian, now=NOW)
    with pytest.raises(NotPermitted):
        services.rotate_checkin_token(branch=on_roster.branch, by=on_roster.desk, now=NOW)
    point = services.rotate_checkin_token(branch=on_roster.branch, by=on_roster.librarian, now=NOW)
    assert point.token != on_roster.token and point.rotated_by == on_roster.librarian
    with translation.override("th"), pytest.raises(UnknownCheckinCode) as caught:
        services.scan_checkin(token=on_roster.token, volunteer=on_roster.volunteer, now=NOW)
    assert "ไม่สามารถใช้ได้แล้ว" in caught.value.text
    assert services.scan_checkin(token=point.token, volunteer=on_roster.volunteer, now=NOW).status == "checked_in"


def test_the_poster_pdf_is_thai_and_carries_the_address(on_roster):
    data = printing.checkin_poster(on_roster.branch, url=f"https://example.org/volunteer/check-in/{on_roster.token}/")
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert b"Sarabun" in data
