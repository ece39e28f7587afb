"""After booking: cancel (patron cut-off, staff), check-in (staff QR, space QR), no-show release and
suspension, repeat bookings, closures cancelling bookings with a notice, the confirmation's .ics."""
from datetime import timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.network import services as network_services
from bkklib.spaces import queries, services
from bkklib.spaces.exceptions import BookingRefused, CancelRefused, CheckInRefused
from bkklib.spaces.models import Booking, BookingSuspension, SpaceRule

from .conftest import TUE_8AM, at


@pytest.fixture
def booking(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10), ends_at=at(3, 11),
                                   now=TUE_8AM)


def test_the_confirmation_email_carries_the_booking_as_ics(booking):
    message = mail.outbox[-1]
    assert "ยืนยันการจอง" in message.subject and booking.code in message.body
    name, content, mimetype = message.attachments[0]
    assert name == f"booking-{booking.code}.ics" and mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event["UID"] == f"space-booking-{booking.code}@bkklib"
    assert event.decoded("DTSTART") == at(3, 10)
    assert "โต๊ะโคเวิร์กกิง 1" in str(event["SUMMARY"])


def test_a_patron_cancels_up_to_the_cut_off_and_not_after(site, booking):
    with pytest.raises(CancelRefused):
        services.cancel_booking(booking=booking, patron=site.patron, now=at(3, 9, 30))
    services.cancel_booking(booking=booking, patron=site.patron, now=at(3, 8, 59))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert queries.is_space_free(site.desk, at(3, 10), at(3, 11))


def test_another_patron_cannot_cancel_a_booking(site, booking):
    from bkklib.core.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        services.cancel_booking(booking=booking, patron=PatronFactory(), now=TUE_8AM)


def test_staff_check_in_by_the_booking_code_and_patrons_by_the_space_qr(site, booking):
    with pytest.raises(CheckInRefused):
        services.check_in(booking=booking, by=site.staff, now=at(3, 9))
    services.check_in(booking=booking, by=site.staff, now=at(3, 9, 50))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN and booking.checked_in_by == site.staff

    other = services.book_space(space=site.room, patron=site.patron, starts_at=at(3, 13), ends_at=at(3, 14),
                                now=TUE_8AM)
    services.check_in_at_space(token=site.room.checkin_token, patron=site.patron, now=at(3, 13, 5))
    other.refresh_from_db()
    assert other.status == Booking.Status.CHECKED_IN and other.checked_in_by is None


def test_no_shows_are_released_after_the_rule_minutes_and_checked_in_bookings_stay(site, booking):
    kept = services.book_space(space=site.room, patron=PatronFactory(), starts_at=at(3, 10), ends_at=at(3, 11),
                               now=TUE_8AM)
    services.check_in(booking=kept, by=site.staff, now=at(3, 10, 1))
    assert services.release_no_shows(now=at(3, 10, 14)) == 0
    assert services.release_no_shows(now=at(3, 10, 15)) == 1
    booking.refresh_from_db()
    kept.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW and "15" in booking.cancel_reason
    assert kept.status == Booking.Status.CHECKED_IN
    assert queries.is_space_free(site.desk, at(3, 10, 30), at(3, 11))  # the desk is free again


def test_repeated_no_shows_suspend_the_patron_from_booking(site):
    SpaceRule.objects.create(kind="", no_show_limit=2, no_show_period_days=30, suspension_days=7)
    for day in (3, 4):
        services.book_space(space=site.desk, patron=site.patron, starts_at=at(day, 10), ends_at=at(day, 11),
                            now=TUE_8AM)
    services.release_no_shows(now=at(3, 12))
    assert not BookingSuspension.objects.exists()
    services.release_no_shows(now=at(4, 12))
    suspension = BookingSuspension.objects.get(patron=site.patron)
    assert suspension.ends_on == at(11, 0).date()
    with pytest.raises(BookingRefused) as caught:
        services.book_space(space=site.desk, patron=site.patron, starts_at=at(6, 10), ends_at=at(6, 11),
                            now=at(4, 12))
    assert caught.value.code == "suspended"


def test_a_new_closure_cancels_the_bookings_it_covers_and_tells_each_patron(site, booking,
                                                                          django_capture_on_commit_callbacks):
    later = services.book_space(space=site.desk, patron=site.patron, starts_at=at(6, 10), ends_at=at(6, 11),
                                now=TUE_8AM)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        network_services.add_closure(branch=site.branch, starts_on=at(3, 0).date(), ends_on=at(4, 0).date(),
                                     reason_th="น้ำท่วมชั้นล่าง")
    booking.refresh_from_db()
    later.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and "น้ำท่วมชั้นล่าง" in booking.cancel_reason
    assert later.status == Booking.Status.CONFIRMED
    assert len(mail.outbox) == 1 and "ยกเลิกการจอง" in mail.outbox[0].subject
    assert "น้ำท่วมชั้นล่าง" in mail.outbox[0].body


def test_repeat_bookings_check_each_week_and_report_the_refused_ones(site):
    network_services.add_closure(branch=site.branch, starts_on=at(17, 0).date(), ends_on=at(17, 0).date(),
                                 reason_th="ซ่อมหลังคา")
    made, refused = services.book_series(space=site.room, patron=site.patron, starts_at=at(3, 14),
                                         ends_at=at(3, 16), until=at(24, 0).date(), by=site.staff, people=5,
                                         now=TUE_8AM)
    assert [queries.local(b.starts_at).day for b in made] == [3, 10, 24]
    assert len(refused) == 1 and refused[0][0] == at(17, 0).date() and "ซ่อมหลังคา" in refused[0][1]
    assert len({b.series for b in made}) == 1


def test_staff_of_another_branch_cannot_book_or_check_in_here(site, booking):
    from bkklib.core import roles
    from bkklib.core.exceptions import NotPermitted
    from bkklib.network.tests.factories import BranchFactory, staff_user

    outsider = staff_user(roles.BRANCH_LIBRARIAN, BranchFactory())
    with pytest.raises(NotPermitted):
        services.check_in(booking=booking, by=outsider, now=at(3, 10))
    with pytest.raises(NotPermitted):
        services.book_space(space=site.room, patron=site.patron, starts_at=at(3, 14), ends_at=at(3, 15),
                            by=outsider, now=TUE_8AM)


def test_the_grid_shows_taken_free_past_and_closed(site, booking):
    network_services.add_closure(branch=site.branch, starts_on=at(5, 0).date(), ends_on=at(5, 0).date(),
                                 reason_th="ปิดปรับปรุง")
    grid = queries.availability(site.branch, at(3, 0).date(), 3, now=at(3, 9, 30))
    desk_row = next(r for r in grid.rows if r.space == site.desk)
    tuesday = {c.start.hour: c.state for c in desk_row.days[0][1]}
    assert tuesday[9] == "past" and tuesday[10] == "taken" and tuesday[11] == "free" and tuesday[16] == "free"
    assert desk_row.days[2][1] == [] and at(5, 0).date() in grid.closed
    assert len(desk_row.days[1][1]) == 8  # 09–17 in hour slots


def test_erasure_cancels_future_bookings_and_clears_purposes(site):
    from bkklib.spaces import pdpa

    future = services.book_space(space=site.desk, patron=site.patron, starts_at=at(6, 10), ends_at=at(6, 11),
                                 purpose="ติวหนังสือ", now=TUE_8AM)
    export = pdpa.export_patron(site.patron)
    assert export["bookings"][0]["purpose"] == "ติวหนังสือ"
    pdpa.erase_patron(site.patron, now=TUE_8AM)
    future.refresh_from_db()
    assert future.status == Booking.Status.CANCELLED and future.purpose == ""


def test_indicators_count_bookings_use_and_no_shows(site, booking):
    from bkklib.spaces import indicators

    services.check_in(booking=booking, by=site.staff, now=at(3, 10))
    services.book_space(space=site.room, patron=PatronFactory(), starts_at=at(3, 13), ends_at=at(3, 14), now=TUE_8AM)
    services.release_no_shows(now=at(3, 14))
    day = at(3, 0).date()
    assert sum(f.value for f in indicators.bookings(day)) == 2
    assert [f.value for f in indicators.occupancy_hours(day)] == [1.0]
    assert [f.value for f in indicators.no_shows(day)] == [1]
    assert [f.value for f in indicators.unique_users(day)] == [1]


def test_the_booking_is_refused_for_a_day_after_the_window_even_by_one(site):
    with pytest.raises(BookingRefused) as caught:
        services.book_space(space=site.desk, patron=site.patron, starts_at=at(3, 10) + timedelta(days=15),
                            ends_at=at(3, 11) + timedelta(days=15), now=TUE_8AM)
    assert caught.value.code == "beyond_window"
