"""Booking a space: the accepted case, and each refusal with its own Thai message and nothing stored."""
from datetime import timedelta

import pytest
from django.utils import translation

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.network import services as network_services
from bkklib.network.models import Closure
from bkklib.spaces import services
from bkklib.spaces.exceptions import BookingRefused, SlotTaken, SpaceNotBookable
from bkklib.spaces.models import Booking, SpaceRule

from .conftest import TUE_8AM, at


def book(site, start, end, *, space=None, patron=None, people=1, now=TUE_8AM, **kw):
    return services.book_space(space=space or site.desk, patron=patron or site.patron, starts_at=start, ends_at=end,
                               people=people, now=now, **kw)


def test_a_patron_books_a_free_desk_within_opening_hours(site):
    booking = book(site, at(3, 10), at(3, 12))

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.branch == site.branch and booking.kind == Booking.Kind.ONLINE
    assert len(booking.code) == 8


def refusal_text(site, start, end, **kw):
    with translation.override("th"), pytest.raises(BookingRefused) as caught:
        book(site, start, end, **kw)
    assert Booking.objects.count() == 0
    return caught.value


def test_a_slot_in_the_past_is_refused_in_thai(site):
    error = refusal_text(site, at(3, 9), at(3, 10), now=at(3, 11))
    assert error.code == "in_past" and "ผ่านไปแล้ว" in error.text


def test_a_slot_beyond_the_booking_window_is_refused_in_thai(site):
    error = refusal_text(site, at(3, 10) + timedelta(days=21), at(3, 11) + timedelta(days=21))
    assert error.code == "beyond_window" and "ล่วงหน้า 14 วัน" in error.text


def test_a_slot_across_closing_time_is_refused_in_thai(site):
    error = refusal_text(site, at(3, 16), at(3, 18))
    assert error.code == "outside_hours" and "เวลาปิด" in error.text and "09.00–17.00" in error.text


def test_a_slot_on_a_public_holiday_is_refused_in_thai(site):
    network_services.add_closure(branch=None, starts_on=at(4, 0).date(), ends_on=at(4, 0).date(),
                                 reason_th="วันเฉลิมพระชนมพรรษา", kind=Closure.Kind.PUBLIC_HOLIDAY)
    error = refusal_text(site, at(4, 10), at(4, 11))
    assert error.code == "holiday" and "วันหยุดนักขัตฤกษ์" in error.text


def test_a_slot_on_a_branch_closure_names_the_reason(site):
    network_services.add_closure(branch=site.branch, starts_on=at(5, 0).date(), ends_on=at(5, 0).date(),
                                 reason_th="ปรับปรุงระบบไฟฟ้า")
    error = refusal_text(site, at(5, 10), at(5, 11))
    assert error.code == "closed_day" and "ปรับปรุงระบบไฟฟ้า" in error.text


def test_a_day_the_branch_does_not_open_is_refused(site):
    error = refusal_text(site, at(9, 10), at(9, 11))  # a Monday
    assert error.code == "not_open" and "ไม่เปิด" in error.text


def test_more_people_than_the_room_holds_is_refused_in_thai(site):
    error = refusal_text(site, at(3, 10), at(3, 11), space=site.room, people=9)
    assert error.code == "over_capacity" and "6 คน" in error.text and "9" in error.text


def test_a_taken_slot_is_refused_and_a_touching_one_is_not(site):
    book(site, at(3, 10), at(3, 11))
    with translation.override("th"), pytest.raises(BookingRefused) as caught:
        book(site, at(3, 10), at(3, 11), patron=PatronFactory())
    assert caught.value.code == "taken" and "ถูกจองแล้ว" in caught.value.text
    assert book(site, at(3, 11), at(3, 12), patron=PatronFactory()).status == Booking.Status.CONFIRMED


def test_the_buffer_between_bookings_keeps_a_gap(site):
    SpaceRule.objects.create(kind="", buffer_minutes=30)
    book(site, at(3, 10), at(3, 11))
    with pytest.raises(BookingRefused) as caught:
        book(site, at(3, 11), at(3, 12), patron=PatronFactory())
    assert caught.value.code == "taken"


def test_daily_and_weekly_limits_per_patron(site):
    SpaceRule.objects.create(kind="", max_hours_per_day=2, max_hours_per_week=3, window_days=30)
    book(site, at(3, 9), at(3, 11))
    with pytest.raises(BookingRefused) as caught:
        book(site, at(3, 13), at(3, 14), space=site.room)
    assert caught.value.code == "day_limit"
    book(site, at(4, 9), at(4, 10))
    with pytest.raises(BookingRefused) as caught:
        book(site, at(5, 9), at(5, 10))
    assert caught.value.code == "week_limit"
    assert book(site, at(10, 9), at(10, 10)).pk  # next week counts again


def test_a_staff_only_space_is_not_bookable_online_but_staff_can_book_it(site):
    site.room.is_public = False
    site.room.save()
    with pytest.raises(SpaceNotBookable):
        book(site, at(3, 10), at(3, 11), space=site.room)
    booking = book(site, at(3, 10), at(3, 11), space=site.room, by=site.staff)
    assert booking.kind == Booking.Kind.STAFF and booking.created_by == site.staff


def test_approval_rule_makes_online_bookings_wait(site):
    SpaceRule.objects.create(kind="meeting_room", requires_approval=True)
    booking = book(site, at(3, 10), at(3, 11), space=site.room)
    assert booking.status == Booking.Status.PENDING
    services.decide(booking=booking, by=site.staff, approve=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_categories_and_age_limit_who_may_book(site):
    from bkklib.circulation.tests.factories import category

    rule = SpaceRule.objects.create(kind="", min_age=60)
    with pytest.raises(BookingRefused) as caught:
        book(site, at(3, 10), at(3, 11))
    assert caught.value.code == "too_young"
    rule.min_age = None
    rule.save()
    rule.categories.add(category("senior"))
    with pytest.raises(BookingRefused) as caught:
        book(site, at(3, 10), at(3, 11))
    assert caught.value.code == "category"


def test_blocks_hold_the_space_and_refuse_over_a_booking(site):
    services.block_space(space=site.desk, starts_at=at(3, 9), ends_at=at(3, 12), reason="ซ่อมปลั๊กไฟ", by=site.staff,
                         now=TUE_8AM)
    with pytest.raises(BookingRefused) as caught:
        book(site, at(3, 10), at(3, 11))
    assert caught.value.code == "taken"
    book(site, at(3, 13), at(3, 14))
    with pytest.raises(SlotTaken):
        services.block_space(space=site.desk, starts_at=at(3, 13), ends_at=at(3, 15), reason="ทาสี", now=TUE_8AM)


def test_is_space_free_answers_for_other_apps(site):
    from bkklib.spaces import queries

    book(site, at(3, 10), at(3, 11))
    assert not queries.is_space_free(site.desk, at(3, 10, 30), at(3, 12))
    assert queries.is_space_free(site.desk, at(3, 11), at(3, 12))
    assert queries.is_space_free(site.room, at(3, 10), at(3, 11))
