"""The resignation handover checklist: ticks keep who and when; the placement ends only when the checklist
is complete or staff record an override with a reason."""
from datetime import datetime

import pytest

from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.volunteers import services
from bkklib.volunteers.exceptions import AgreementState, HandoverIncomplete
from bkklib.volunteers.models import Agreement

from .conftest import BKK, NOW

LATER = datetime(2025, 6, 20, 17, 0, tzinfo=BKK)


@pytest.fixture
def resigning(placed):
    services.request_resignation(agreement=placed.agreement, volunteer=placed.volunteer, reason="ย้ายบ้าน", now=NOW)
    placed.agreement.refresh_from_db()
    return placed


def test_ticks_keep_who_and_when_and_the_first_tick_stays(resigning):
    a = resigning.agreement
    services.tick_handover(agreement=a, by=resigning.librarian, items=["คืนกุญแจตู้"], now=NOW)
    a.refresh_from_db()
    tick = a.handover_ticks["คืนกุญแจตู้"]
    assert tick["by"] == resigning.librarian.pk and tick["at"] == NOW.isoformat()
    assert a.handover_left == ["ส่งต่อรายชื่อเด็กในกิจกรรม"]
    services.tick_handover(agreement=a, by=resigning.librarian, items=a.handover_items, now=LATER)
    a.refresh_from_db()
    assert a.handover_ticks["คืนกุญแจตู้"]["at"] == NOW.isoformat()  # not re-stamped
    assert a.handover_ticks["ส่งต่อรายชื่อเด็กในกิจกรรม"]["at"] == LATER.isoformat()
    assert a.history.first().history_change_reason == "handover"


def test_the_placement_ends_only_with_the_checklist_complete(resigning):
    a = resigning.agreement
    services.tick_handover(agreement=a, by=resigning.librarian, items=["คืนกุญแจตู้"], now=NOW)
    with pytest.raises(HandoverIncomplete, match="ส่งต่อรายชื่อเด็กในกิจกรรม"):
        services.end_agreement(agreement=a, by=resigning.librarian, now=LATER)
    assert Agreement.objects.get(pk=a.pk).status == Agreement.Status.RESIGNING
    services.tick_handover(agreement=a, by=resigning.librarian, items=a.handover_items, now=NOW)
    services.end_agreement(agreement=a, by=resigning.librarian, now=LATER)
    assert Agreement.objects.get(pk=a.pk).status == Agreement.Status.ENDED


def test_an_override_with_a_reason_lets_the_placement_end(resigning):
    a = resigning.agreement
    with pytest.raises(InvalidInput):
        services.override_handover(agreement=a, by=resigning.librarian, reason="  ", now=NOW)
    assert not Agreement.objects.get(pk=a.pk).handover_override_reason
    services.override_handover(agreement=a, by=resigning.librarian, reason="อาสาสมัครย้ายไปต่างจังหวัด ติดต่อไม่ได้",
                               now=NOW)
    assert services.end_due_resignations(now=LATER) == 1
    a.refresh_from_db()
    assert a.status == Agreement.Status.ENDED and a.handover_override_by == resigning.librarian


def test_only_staff_of_the_branch_tick_and_only_known_items(resigning):
    a = resigning.agreement
    with pytest.raises(NotPermitted):
        services.tick_handover(agreement=a, by=resigning.other_librarian, items=["คืนกุญแจตู้"], now=NOW)
    with pytest.raises(NotPermitted):
        services.override_handover(agreement=a, by=resigning.desk, reason="เหตุผลยาวพอ", now=NOW)
    with pytest.raises(InvalidInput):
        services.tick_handover(agreement=a, by=resigning.librarian, items=["ของที่ไม่มีในรายการ"], now=NOW)
    assert Agreement.objects.get(pk=a.pk).handover_done == []


def test_an_ended_agreement_takes_no_more_ticks(resigning):
    a = resigning.agreement
    services.tick_handover(agreement=a, by=resigning.librarian, items=a.handover_items, now=NOW)
    services.end_agreement(agreement=a, by=resigning.librarian, now=LATER)
    with pytest.raises(AgreementState):
        services.tick_handover(agreement=a, by=resigning.librarian, items=[], now=LATER)
