"""Roster, sign-up, overlap, swaps, check-in and out, hours approval and totals."""
from datetime import datetime, timedelta

import pytest
from django.utils import translation

from bkklib.core.exceptions import NotPermitted
from bkklib.volunteers import queries, services
from bkklib.volunteers.exceptions import BadHours, ShiftFull, ShiftOverlap, ShiftRefused
from bkklib.volunteers.models import Shift, Signup, Swap

from .conftest import BKK, NOW, accepted_volunteer


def shift(world, day, start, end, places=2):
    return services.create_shift(branch=world.branch, role=world.role, starts_at=datetime(2025, 6, day, start, tzinfo=BKK),
                                 ends_at=datetime(2025, 6, day, end, tzinfo=BKK), places=places, by=world.librarian)


def test_an_overlapping_shift_is_refused_in_thai_and_nothing_is_stored(placed):
    morning = shift(placed, 7, 9, 12)
    overlapping = shift(placed, 7, 11, 14)
    services.sign_up(shift=morning, volunteer=placed.volunteer, now=NOW)
    with translation.override("th"), pytest.raises(ShiftOverlap) as caught:
        services.sign_up(shift=overlapping, volunteer=placed.volunteer, now=NOW)
    assert caught.value.code == "shift_overlap"
    assert caught.value.text.startswith("คุณมีกะอยู่แล้ว") and "12.00" in caught.value.text
    assert Signup.objects.count() == 1
    services.sign_up(shift=shift(placed, 7, 12, 15), volunteer=placed.volunteer, now=NOW)  # touching is fine


def test_sign_up_needs_an_agreement_in_force_and_a_free_place(placed):
    full = shift(placed, 8, 9, 12, places=1)
    other = accepted_volunteer(placed.call, placed.librarian, twelve="510170020345", first_name="มานะ")
    with pytest.raises(ShiftRefused):
        services.sign_up(shift=full, volunteer=other, now=NOW)  # no agreement
    services.sign_up(shift=full, volunteer=placed.volunteer, now=NOW)
    agreement = services.offer_agreement(volunteer=other, by=placed.librarian, branch=placed.branch, role=placed.role,
                                         starts_on=NOW.date(), duties="x", now=NOW)
    services.accept_agreement(agreement=agreement, volunteer=other, now=NOW)
    with pytest.raises(ShiftFull):
        services.sign_up(shift=full, volunteer=other, now=NOW)




def test_check_in_at_the_desk_and_out_by_the_volunteer_counts_minutes_and_the_supervisor_approves(placed):
    s = shift(placed, 7, 9, 12)
    signup = services.sign_up(shift=s, volunteer=placed.volunteer, now=NOW)
    services.check_in(signup=signup, by=placed.desk, method="desk", now=datetime(2025, 6, 7, 8, 55, tzinfo=BKK))
    services.check_out(signup=signup, volunteer=placed.volunteer, now=datetime(2025, 6, 7, 12, 5, tzinfo=BKK))
    signup.refresh_from_db()
    assert signup.minutes == 190 and signup.status == Signup.Status.CHECKED_OUT
    assert queries.total_hours(placed.volunteer) == 0  # not yet approved
    assert str(queries.total_hours(placed.volunteer, approved_only=False)) == "3.17"
    with pytest.raises(NotPermitted):  # branch staff may not approve hours
        services.approve_hours(signup=signup, by=placed.desk)
    services.approve_hours(signup=signup, by=placed.librarian, now=datetime(2025, 6, 8, tzinfo=BKK))
    assert str(queries.total_hours(placed.volunteer)) == "3.17"


def test_hours_in_the_future_are_refused_in_thai_and_nothing_is_stored(placed):
    s = shift(placed, 7, 9, 12)
    signup = services.sign_up(shift=s, volunteer=placed.volunteer, now=NOW)
    with translation.override("th"), pytest.raises(BadHours) as caught:
        services.record_hours(signup=signup, by=placed.librarian, checked_in_at=s.starts_at, checked_out_at=s.ends_at,
                              now=NOW)
    assert caught.value.code == "hours_future"
    assert caught.value.text == "เวลาเข้าและออกจากกะต้องไม่เป็นเวลาในอนาคต"
    signup.refresh_from_db()
    assert signup.status == Signup.Status.SIGNED_UP and signup.minutes == 0 and signup.checked_in_at is None


def test_hours_totals_per_fiscal_year(placed):
    rows = []
    for day, month, hours in ((29, 9, 2), (30, 9, 3), (1, 10, 4)):
        s = Shift.objects.create(branch=placed.branch, role=placed.role,
                                 starts_at=datetime(2025, month, day, 9, tzinfo=BKK),
                                 ends_at=datetime(2025, month, day, 9 + hours, tzinfo=BKK))
        rows.append(Signup.objects.create(shift=s, volunteer=placed.volunteer, branch=placed.branch, signed_up_at=NOW))
    later = datetime(2025, 10, 5, tzinfo=BKK)
    for signup in rows:
        services.record_hours(signup=signup, by=placed.librarian, checked_in_at=signup.shift.starts_at,
                              checked_out_at=signup.shift.ends_at, now=later)
        services.approve_hours(signup=signup, by=placed.librarian, now=later)
    totals = queries.hours_by_fiscal_year(placed.volunteer)
    assert {year: str(h) for year, h in totals.items()} == {2568: "5.00", 2569: "4.00"}


def test_a_swap_approved_by_staff_moves_the_shift(placed):
    other = accepted_volunteer(placed.call, placed.librarian, twelve="510170020346", first_name="มานี")
    agreement = services.offer_agreement(volunteer=other, by=placed.librarian, branch=placed.branch, role=placed.role,
                                         starts_on=NOW.date(), duties="x", now=NOW)
    services.accept_agreement(agreement=agreement, volunteer=other, now=NOW)
    signup = services.sign_up(shift=shift(placed, 9, 9, 12), volunteer=placed.volunteer, now=NOW)
    swap = services.request_swap(signup=signup, volunteer=placed.volunteer, to_volunteer=other, now=NOW)
    services.answer_swap(swap=swap, volunteer=other, accept=True, now=NOW)
    services.decide_swap(swap=swap, by=placed.librarian, approve=True, now=NOW)
    assert Swap.objects.get().status == Swap.Status.APPROVED
    assert Signup.objects.get(pk=signup.pk).status == Signup.Status.SWAPPED
    assert Signup.objects.holding().get(shift=signup.shift).volunteer == other


def test_shifts_count_in_network_coverage_when_the_role_allows(placed):
    from bkklib.network.models import StaffingLevel
    from bkklib.network.queries import roster

    s = shift(placed, 7, 9, 12)
    day = s.starts_at.date()
    StaffingLevel.objects.create(branch=placed.branch, weekday=day.weekday(), minimum_staff=3)
    before = roster(day, day, branches=[placed.branch])
    services.sign_up(shift=s, volunteer=placed.volunteer, now=NOW)
    after = roster(day, day, branches=[placed.branch])
    assert len(after.working[day].get(placed.branch.pk, ())) == len(before.working[day].get(placed.branch.pk, ())) + 1
    placed.role.counts_in_coverage = False
    placed.role.save()
    assert roster(day, day, branches=[placed.branch]).working[day].get(placed.branch.pk, set()) == \
        before.working[day].get(placed.branch.pk, set())


def test_creating_a_shift_that_ends_before_it_starts_is_refused(world):
    from bkklib.volunteers.exceptions import BadShift

    with pytest.raises(BadShift):
        services.create_shift(branch=world.branch, role=world.role, starts_at=NOW + timedelta(hours=3),
                              ends_at=NOW + timedelta(hours=1), by=world.librarian)
    assert not Shift.objects.exists()
