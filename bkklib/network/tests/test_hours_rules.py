"""The hours notation (parse_hours / format_hours) and the hours problems, without a database."""
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bkklib.network import rules
from bkklib.network.rules import Period


def test_the_city_library_hours_read_as_written_in_thai():
    periods = rules.parse_hours("อ.-ส. 09:00-20:30; อา. 09:00-20:00")
    assert [p.weekday for p in periods] == [1, 2, 3, 4, 5, 6]
    assert periods[0] == Period(1, time(9), time(20, 30)) and periods[-1] == Period(6, time(9), time(20))


@pytest.mark.parametrize("text", [
    "Tue-Sat 09:00-20:30; Sun 09:00-20:00",
    "Tue - Sat 9.00-20.30\nSunday 09.00 น. - 20.00 น.",
    "อังคาร-เสาร์ 09:00-20:30; อาทิตย์ 09:00-20:00; จ. ปิด",
])
def test_english_thai_dots_and_new_lines_mean_the_same(text):
    assert rules.parse_hours(text) == rules.parse_hours("อ.-ส. 09:00-20:30; อา. 09:00-20:00")


def test_several_periods_a_day_a_wrapping_range_and_every_day():
    assert len(rules.parse_hours("จ.-ศ. 08:30-12:00, 13:00-16:30")) == 10
    assert [p.weekday for p in rules.parse_hours("ศ.-จ. 10:00-18:00")] == [0, 4, 5, 6]
    assert len(rules.parse_hours("ทุกวัน 09:00-17:00")) == 7


@pytest.mark.parametrize(("text", "code"), [
    ("วันหยุด 09:00-17:00", "unknown_day"),
    ("จ. 9 โมงถึงห้าโมง", "bad_times"),
    ("จ.", "no_times"),
    ("จ. 25:00-26:00", "bad_time"),
    ("จ.-อ.-พ. 09:00-17:00", "bad_day_range"),
])
def test_unreadable_hours_say_why(text, code):
    with pytest.raises(rules.HoursSyntaxError) as info:
        rules.parse_hours(text)
    assert info.value.code == code


def test_touching_periods_are_fine_and_overlaps_name_the_later_period():
    touching = [Period(0, time(9), time(12)), Period(0, time(12), time(16))]
    assert rules.hours_problems(touching) == []
    overlapping = [Period(2, time(11), time(16)), Period(2, time(9), time(12))]
    # The error goes on the opening time of the period that opens while the other is open.
    assert rules.hours_problems(overlapping) == [rules.HoursProblem(0, "opens_at", rules.OVERLAPS, other=1)]


periods_strategy = st.lists(
    st.builds(lambda day, start, length: Period(day, time(start // 60, start % 60),
                                                time((start + length) // 60, (start + length) % 60)),
              st.integers(0, 6), st.integers(0, 22 * 60).map(lambda m: m - m % 5), st.integers(5, 60).map(
                  lambda m: m - m % 5)),
    max_size=12,
)


@given(periods=periods_strategy)
def test_format_then_parse_gives_the_same_week(periods):
    if rules.hours_problems(periods):
        return
    assert rules.parse_hours(rules.format_hours(periods)) == sorted(set(periods), key=lambda p: (p.weekday, p.opens_at))
    assert rules.parse_hours(rules.format_hours(periods, lang="en")) == rules.parse_hours(rules.format_hours(periods))


@given(periods=periods_strategy)
def test_hours_problems_flag_exactly_reversed_or_overlapping_periods(periods):
    problems = rules.hours_problems(periods)
    flagged = {p.index for p in problems}
    for i, p in enumerate(periods):
        if p.closes_at <= p.opens_at:
            assert i in flagged
    valid = [(i, p) for i, p in enumerate(periods) if p.closes_at > p.opens_at]
    for i, a in valid:
        for j, b in valid:
            # Of two overlapping periods, the one opening later (or listed later, at the same time) is flagged.
            if i != j and a.weekday == b.weekday and (a.opens_at, i) < (b.opens_at, j) and b.opens_at < a.closes_at:
                assert j in flagged
    for problem in problems:
        if problem.code == rules.OVERLAPS:
            this, other = periods[problem.index], periods[problem.other]
            assert this.weekday == other.weekday and other.opens_at <= this.opens_at < other.closes_at
