"""Agreements and resignation on a fixed clock, with the notice period running across public holidays."""
from datetime import date, datetime, timedelta

import pytest

from bkklib.network.models import Closure
from bkklib.volunteers import queries, services
from bkklib.volunteers.exceptions import AgreementState, HandoverIncomplete
from bkklib.volunteers.models import Agreement, Shift, Signup, Volunteer

from .conftest import BKK, NOW


@pytest.fixture
def holidays(db):
    # Visakha Bucha day 2568 (Wed 11 June) and a substitution day (Tue 3 June) for the test.
    for day, name in ((date(2025, 6, 3), "วันหยุดชดเชย"), (date(2025, 6, 11), "วันวิสาขบูชา")):
        Closure.objects.create(branch=None, kind=Closure.Kind.PUBLIC_HOLIDAY, starts_on=day, ends_on=day,
                               reason_th=name)


def test_an_offered_agreement_comes_into_force_when_the_volunteer_accepts(world):
    agreement = services.offer_agreement(volunteer=world.volunteer, by=world.librarian, branch=world.branch,
                                         role=world.role, starts_on=date(2025, 6, 1), duties="จัดชั้น", now=NOW)
    assert agreement.status == Agreement.Status.OFFERED and agreement.code_of_conduct
    other = Volunteer.objects.create(branch=world.branch, code="VX", first_name="อื่น")
    with pytest.raises(Exception, match="not your agreement|ไม่ใช่ข้อตกลงของคุณ"):
        services.accept_agreement(agreement=agreement, volunteer=other, now=NOW)
    services.accept_agreement(agreement=agreement, volunteer=world.volunteer, now=NOW)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE and agreement.accepted_at == NOW
    with pytest.raises(AgreementState):
        services.accept_agreement(agreement=agreement, volunteer=world.volunteer, now=NOW)


def test_resignation_takes_effect_after_five_working_days_across_holidays(placed, holidays):
    filed = datetime(2025, 6, 6, 10, 0, tzinfo=BKK)  # Friday
    agreement = services.request_resignation(agreement=placed.agreement, volunteer=placed.volunteer,
                                             reason="ย้ายที่ทำงาน", now=filed)
    assert agreement.status == Agreement.Status.RESIGNING
    # Mon 9, Tue 10, (Wed 11 holiday), Thu 12, Fri 13, (weekend), Mon 16 at 16.30.
    assert agreement.resignation_effective_at == datetime(2025, 6, 16, 16, 30, tzinfo=BKK)
    with pytest.raises(AgreementState):
        services.end_agreement(agreement=agreement, by=placed.librarian, now=datetime(2025, 6, 16, 16, 0, tzinfo=BKK))


def test_a_placement_ends_only_when_the_handover_is_done_and_keeps_its_hours(placed, holidays):
    shift = Shift.objects.create(branch=placed.branch, role=placed.role, starts_at=datetime(2025, 6, 4, 9, tzinfo=BKK),
                                 ends_at=datetime(2025, 6, 4, 12, tzinfo=BKK))
    signup = services.sign_up(shift=shift, volunteer=placed.volunteer, now=NOW)
    services.record_hours(signup=signup, by=placed.librarian, checked_in_at=shift.starts_at,
                          checked_out_at=shift.ends_at, now=datetime(2025, 6, 5, 9, tzinfo=BKK))
    services.approve_hours(signup=signup, by=placed.librarian, now=datetime(2025, 6, 5, 9, tzinfo=BKK))
    later = Shift.objects.create(branch=placed.branch, role=placed.role, starts_at=datetime(2025, 6, 28, 9, tzinfo=BKK),
                                 ends_at=datetime(2025, 6, 28, 12, tzinfo=BKK))
    future = services.sign_up(shift=later, volunteer=placed.volunteer, now=NOW)
    agreement = services.request_resignation(agreement=placed.agreement, volunteer=placed.volunteer,
                                             now=datetime(2025, 6, 6, 10, tzinfo=BKK))
    after = agreement.resignation_effective_at + timedelta(minutes=1)
    with pytest.raises(HandoverIncomplete) as caught:
        services.end_agreement(agreement=agreement, by=placed.librarian, now=after)
    assert "คืนกุญแจตู้" in caught.value.text
    assert services.end_due_resignations(after) == 0
    services.tick_handover(agreement=agreement, by=placed.librarian, items=agreement.handover_items)
    assert services.end_due_resignations(after) == 1
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ENDED
    assert Signup.objects.get(pk=future.pk).status == Signup.Status.CANCELLED
    assert queries.total_hours(placed.volunteer) == 3  # the history of hours stays
    placed.volunteer.refresh_from_db()
    assert placed.volunteer.status == Volunteer.Status.ENDED


def test_an_agreement_cannot_end_before_it_starts(world):
    from bkklib.core.exceptions import InvalidInput

    with pytest.raises(InvalidInput):
        services.offer_agreement(volunteer=world.volunteer, by=world.librarian, branch=world.branch, role=world.role,
                                 starts_on=date(2025, 6, 10), ends_on=date(2025, 6, 9), duties="x", now=NOW)
    assert not Agreement.objects.exists()
