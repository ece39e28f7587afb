"""The government working calendar and deadline clocks (network/rules/workdays.py), on a fixed clock
with the real holiday table."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bkklib.network import queries, rules
from bkklib.network.services import load_holidays

BKK = ZoneInfo("Asia/Bangkok")
# Songkran 2025: Chakri Day Sun 6 Apr (substitute Mon 7), Songkran Sun 13 – Tue 15, substitute Wed 16.
SONGKRAN_2025 = frozenset({date(2025, 4, 6), date(2025, 4, 7), date(2025, 4, 13), date(2025, 4, 14),
                           date(2025, 4, 15), date(2025, 4, 16)})
CAL = rules.WorkCalendar(holidays=SONGKRAN_2025)


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=BKK)


@pytest.mark.django_db
def test_calendar_comes_from_the_holiday_table():
    load_holidays(years=[2025])
    calendar = queries.work_calendar()
    assert SONGKRAN_2025 <= calendar.holidays
    assert not calendar.is_working_day(date(2025, 4, 16))  # substitution day
    assert calendar.is_working_day(date(2025, 4, 17))


def test_complaint_filed_friday_1630_before_songkran_is_due_after_the_long_weekend():
    # Filed as the office closes on Friday 11 Apr: the day of filing is Thursday 17 Apr (Sat–Wed are
    # off), so "within 1 working day" ends Friday 18 Apr at 16:30, "3 working days" Tuesday 22 Apr.
    assert rules.due_at(CAL, unit=rules.BUSINESS_DAYS, amount=1, start=at(11, 16, 30)) == at(18, 16, 30)
    assert rules.due_at(CAL, unit=rules.BUSINESS_DAYS, amount=3, start=at(11, 16, 30)) == at(22, 16, 30)
    # Filed at 16:29 it is still Friday's: one working day is Thursday 17 Apr.
    assert rules.due_at(CAL, unit=rules.BUSINESS_DAYS, amount=1, start=at(11, 16, 29)) == at(17, 16, 30)
    # In office hours: 8 office hours from Friday 15:30 = 1 h on Friday + 7 h on Thursday 17 Apr.
    assert rules.due_at(CAL, unit=rules.BUSINESS_HOURS, amount=8, start=at(11, 15, 30)) == at(17, 15, 30)


def test_a_24_hour_item_filed_at_2300_is_due_2300_the_next_day_whatever_the_calendar():
    assert rules.due_at(CAL, unit=rules.CALENDAR_HOURS, amount=24, start=at(12, 23)) == at(13, 23)


def test_pauses_move_the_due_time_by_the_counting_time_paused():
    start = at(2, 9)  # Wednesday
    due = rules.due_at(CAL, unit=rules.BUSINESS_HOURS, amount=8, start=start)
    assert due == at(3, 9)
    # Waiting for the requester from Wednesday 15:30 to Thursday 9:30: 1 h + 1 h of office time.
    paused = rules.due_at(CAL, unit=rules.BUSINESS_HOURS, amount=8, start=start, pauses=[(at(2, 15, 30), at(3, 9, 30))])
    assert paused == at(3, 11)
    # A pause still open counts up to now.
    open_pause = rules.due_at(CAL, unit=rules.CALENDAR_HOURS, amount=24, start=start,
                              pauses=[(at(2, 10), None)], now=at(2, 13))
    assert open_pause == at(3, 12)
    # A pause over a weekend costs no office time.
    assert rules.due_at(CAL, unit=rules.BUSINESS_HOURS, amount=8, start=at(4, 9),
                        pauses=[(at(5, 8), at(6, 20))]) == at(8, 9)


def test_remaining_and_breach():
    due = at(18, 16, 30)
    assert rules.remaining(CAL, unit=rules.BUSINESS_DAYS, due=due, now=at(11, 16, 30)) == timedelta(hours=16)
    assert rules.remaining(CAL, unit=rules.BUSINESS_DAYS, due=due, now=at(18, 17, 30)) == -timedelta(hours=1)


def test_bad_clocks_are_refused():
    with pytest.raises(ValueError):
        rules.due_at(CAL, unit="fortnights", amount=1, start=at(1, 9))
    with pytest.raises(ValueError):
        rules.due_at(CAL, unit=rules.BUSINESS_DAYS, amount=-1, start=at(1, 9))


moments = st.datetimes(min_value=datetime(2025, 3, 1), max_value=datetime(2025, 5, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=BKK))


@settings(max_examples=200, deadline=None)
@given(start=moments, amount=st.integers(min_value=0, max_value=80),
       unit=st.sampled_from([rules.CALENDAR_HOURS, rules.BUSINESS_HOURS]))
def test_hour_clocks_count_exactly_their_amount(start, amount, unit):
    due = rules.due_at(CAL, unit=unit, amount=amount, start=start)
    assert due >= start
    assert rules.counted(CAL, unit, start, due) == timedelta(hours=amount)
    if unit == rules.BUSINESS_HOURS and amount:
        assert CAL.is_working_day(due.date()) and CAL.opens < due.time() <= CAL.closes


@settings(max_examples=200, deadline=None)
@given(start=moments, amount=st.integers(min_value=0, max_value=30))
def test_business_day_clocks_end_at_close_of_a_working_day_and_grow_with_the_amount(start, amount):
    due = rules.due_at(CAL, unit=rules.BUSINESS_DAYS, amount=amount, start=start)
    assert CAL.is_working_day(due.date()) and due.time() == CAL.closes and due >= start
    later = rules.due_at(CAL, unit=rules.BUSINESS_DAYS, amount=amount + 1, start=start)
    assert later.date() == CAL.next_working_day(due.date())
