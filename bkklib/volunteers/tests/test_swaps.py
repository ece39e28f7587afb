"""Shift swaps: asked, accepted by the other volunteer, approved by staff; each refusal in Thai, nothing stored."""
from datetime import datetime

import pytest
from django.utils import translation

from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.volunteers import services
from bkklib.volunteers.exceptions import NotPlaced, ShiftStarted, SwapOverlap, SwapState
from bkklib.volunteers.models import Shift, Signup, Swap
from bkklib.volunteers.queries import open_swaps_for

from .conftest import BKK, NOW, accepted_volunteer


def shift(world, day, start, end, branch=None):
    return Shift.objects.create(branch=branch or world.branch, role=world.role, places=2,
                                starts_at=datetime(2025, 6, day, start, tzinfo=BKK),
                                ends_at=datetime(2025, 6, day, end, tzinfo=BKK))


def placed_other(world, twelve="510170020346", name="มานี", branch=None):
    other = accepted_volunteer(world.call, world.librarian, twelve=twelve, first_name=name)
    agreement = services.offer_agreement(volunteer=other, by=world.librarian, branch=world.branch, role=world.role,
                                         starts_on=NOW.date(), duties="เล่านิทาน", now=NOW)
    services.accept_agreement(agreement=agreement, volunteer=other, now=NOW)
    return other


@pytest.fixture
def two(placed):
    placed.other = placed_other(placed)
    placed.mine = services.sign_up(shift=shift(placed, 9, 9, 12), volunteer=placed.volunteer, now=NOW)
    placed.theirs = services.sign_up(shift=shift(placed, 10, 13, 16), volunteer=placed.other, now=NOW)
    return placed


def test_an_exchange_asked_accepted_and_approved_moves_both_sign_ups(two):
    swap = services.request_swap(signup=two.mine, volunteer=two.volunteer, to_signup=two.theirs, now=NOW)
    assert swap.status == Swap.Status.ASKED and swap.to_volunteer == two.other
    assert list(open_swaps_for(two.other)) == [swap] and not open_swaps_for(two.volunteer).exists()
    with pytest.raises(SwapState):  # staff cannot approve before the other volunteer accepts
        services.decide_swap(swap=swap, by=two.librarian, approve=True, now=NOW)
    services.answer_swap(swap=swap, volunteer=two.other, accept=True, now=NOW)
    services.decide_swap(swap=swap, by=two.librarian, approve=True, now=NOW)
    swap.refresh_from_db()
    assert swap.status == Swap.Status.APPROVED and swap.decided_by == two.librarian
    assert Signup.objects.holding().get(shift=two.mine.shift).volunteer == two.other
    assert Signup.objects.holding().get(shift=two.theirs.shift).volunteer == two.volunteer
    assert {s.status for s in Signup.objects.filter(pk__in=[two.mine.pk, two.theirs.pk])} == {"swapped"}
    assert swap.history.first().history_change_reason == "swap decided"


def test_an_open_offer_is_taken_by_any_volunteer_placed_there(two):
    swap = services.request_swap(signup=two.mine, volunteer=two.volunteer, now=NOW)
    assert swap.is_open_offer and list(open_swaps_for(two.other)) == [swap]
    with pytest.raises(InvalidInput):
        services.answer_swap(swap=swap, volunteer=two.other, accept=False, now=NOW)
    services.answer_swap(swap=swap, volunteer=two.other, accept=True, now=NOW)
    swap.refresh_from_db()
    assert swap.status == Swap.Status.PENDING and swap.to_volunteer == two.other


def test_a_volunteer_not_placed_at_the_branch_is_refused_in_thai(two):
    stranger = accepted_volunteer(two.call, two.librarian, twelve="610170020347", first_name="สมปอง")
    with translation.override("th"), pytest.raises(NotPlaced) as caught:
        services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=stranger, now=NOW)
    assert "สมปอง" in caught.value.text and two.branch.name_th in caught.value.text
    assert not Swap.objects.exists()
    offer = services.request_swap(signup=two.mine, volunteer=two.volunteer, now=NOW)
    with pytest.raises(NotPlaced):  # an open offer too: only those placed there may take it
        services.answer_swap(swap=offer, volunteer=stranger, accept=True, now=NOW)
    assert Swap.objects.get().status == Swap.Status.ASKED


def test_an_overlapping_shift_refuses_the_swap_in_thai(two):
    services.sign_up(shift=shift(two, 9, 11, 14), volunteer=two.other, now=NOW)
    with translation.override("th"), pytest.raises(SwapOverlap) as caught:
        services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=two.other, now=NOW)
    assert caught.value.code == "shift_overlap" and "มานี" in caught.value.text and "14.00" in caught.value.text
    assert not Swap.objects.exists()


def test_an_overlap_arising_after_acceptance_is_caught_at_approval(two):
    swap = services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=two.other, now=NOW)
    services.answer_swap(swap=swap, volunteer=two.other, accept=True, now=NOW)
    services.sign_up(shift=shift(two, 9, 8, 10), volunteer=two.other, now=NOW)
    with pytest.raises(SwapOverlap):
        services.decide_swap(swap=swap, by=two.librarian, approve=True, now=NOW)
    assert Swap.objects.get().status == Swap.Status.PENDING
    assert Signup.objects.get(pk=two.mine.pk).status == Signup.Status.SIGNED_UP


def test_a_shift_already_started_cannot_be_swapped(two):
    started = datetime(2025, 6, 9, 9, 30, tzinfo=BKK)
    with translation.override("th"), pytest.raises(ShiftStarted) as caught:
        services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=two.other, now=started)
    assert "เริ่มไปแล้ว" in caught.value.text
    swap = services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=two.other, now=NOW)
    services.answer_swap(swap=swap, volunteer=two.other, accept=True, now=NOW)
    with pytest.raises(ShiftStarted):
        services.decide_swap(swap=swap, by=two.librarian, approve=True, now=started)


def test_only_the_owner_asks_only_the_named_volunteer_answers_only_the_branch_decides(two):
    with pytest.raises(NotPermitted):
        services.request_swap(signup=two.mine, volunteer=two.other, to_volunteer=two.volunteer, now=NOW)
    swap = services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=two.other, now=NOW)
    third = placed_other(two, twelve="710170020348", name="ชูใจ")
    with pytest.raises(NotPermitted):
        services.answer_swap(swap=swap, volunteer=third, accept=True, now=NOW)
    services.answer_swap(swap=swap, volunteer=two.other, accept=True, now=NOW)
    for staff in (two.other_librarian, two.desk):  # another branch; a desk role without approve_hours
        with pytest.raises(NotPermitted):
            services.decide_swap(swap=swap, by=staff, approve=True, now=NOW)
    with pytest.raises(InvalidInput):  # a refusal needs a reason
        services.decide_swap(swap=swap, by=two.librarian, approve=False, now=NOW)
    services.decide_swap(swap=swap, by=two.librarian, approve=False, note="ต้องการคนเดิม", now=NOW)
    assert Swap.objects.get().status == Swap.Status.REFUSED
    assert Signup.objects.get(pk=two.mine.pk).status == Signup.Status.SIGNED_UP


def test_declined_and_withdrawn_swaps_free_the_shift_for_another_ask(two):
    swap = services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=two.other, now=NOW)
    with pytest.raises(SwapState):
        services.request_swap(signup=two.mine, volunteer=two.volunteer, now=NOW)
    services.answer_swap(swap=swap, volunteer=two.other, accept=False, now=NOW)
    again = services.request_swap(signup=two.mine, volunteer=two.volunteer, now=NOW)
    services.withdraw_swap(swap=again, volunteer=two.volunteer, now=NOW)
    assert [s.status for s in Swap.objects.order_by("pk")] == ["declined", "withdrawn"]
    with pytest.raises(InvalidInput):
        services.request_swap(signup=two.mine, volunteer=two.volunteer, to_volunteer=two.volunteer, now=NOW)
