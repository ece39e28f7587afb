"""Property tests of the booking rules (hypothesis, no database): whatever the requests, an accepted
booking never overlaps another of its space, never falls outside opening hours or on a closed day,
never takes a patron past their daily or weekly limit; releasing no-shows never touches a checked-in booking."""
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bkklib.spaces import rules

MONDAY = date(2025, 6, 2)
NOW = datetime(2025, 6, 2, 8, 0)
HOURS = ((time(9), time(12)), (time(13), time(20)))  # a lunch break: two periods
RULE = rules.Rule(slot_minutes=30, window_days=14, max_hours_per_day=3, max_hours_per_week=8, buffer_minutes=0)

requests = st.lists(st.tuples(
    st.integers(0, 13),  # day offset
    st.integers(7 * 2, 21 * 2),  # start in half hours
    st.integers(1, 8),  # length in half hours
    st.integers(0, 3),  # space
    st.integers(0, 4),  # patron
    st.integers(1, 10),  # people
), max_size=60)


def run_requests(reqs, closed_days, buffer_minutes=0):
    """Feed ``reqs`` through rules.refusal as the service does; return the accepted bookings."""
    rule = rules.Rule(**{**RULE.__dict__, "buffer_minutes": buffer_minutes})
    accepted = []  # (space, patron, start, end)
    for offset, half_hours, length, space, patron, people in reqs:
        day = MONDAY + timedelta(days=offset)
        start = datetime.combine(day, time()) + timedelta(minutes=30 * half_hours)
        end = start + timedelta(minutes=30 * length)
        info = rules.Day(closed="closure") if day in closed_days else rules.Day(periods=HOURS)
        monday, sunday = rules.week_of(day)
        mine = [(s, e) for sp, p, s, e in accepted if p == patron]
        booker = rules.Booker(
            day_minutes=sum(rules.minutes((s, e)) for s, e in mine if s.date() == day),
            week_minutes=sum(rules.minutes((s, e)) for s, e in mine if monday <= s.date() <= sunday),
        )
        taken = [(s, e) for sp, p, s, e in accepted if sp == space]
        if rules.refusal(span=(start, end), people=people, capacity=6, rule=rule, booker=booker, day=info,
                         taken=taken, now=NOW) is None:
            accepted.append((space, patron, start, end))
    return accepted, rule


@settings(max_examples=150, deadline=None)
@given(reqs=requests, closed=st.sets(st.integers(0, 13), max_size=4), buffer=st.sampled_from([0, 15, 30]))
def test_accepted_bookings_keep_every_invariant(reqs, closed, buffer):
    closed_days = {MONDAY + timedelta(days=n) for n in closed}
    accepted, rule = run_requests(reqs, closed_days, buffer)
    for i, (space, _patron, start, end) in enumerate(accepted):
        assert start.date() not in closed_days
        assert any(a <= start.time() and end.time() <= b for a, b in HOURS) and start.date() == end.date()
        for other_space, _p, s, e in accepted[i + 1:]:
            if other_space == space:
                assert end + timedelta(minutes=buffer) <= s or e + timedelta(minutes=buffer) <= start
    per_day, per_week = {}, {}
    for _space, patron, start, end in accepted:
        per_day[(patron, start.date())] = per_day.get((patron, start.date()), 0) + rules.minutes((start, end))
        week = rules.week_of(start.date())[0]
        per_week[(patron, week)] = per_week.get((patron, week), 0) + rules.minutes((start, end))
    assert all(v <= rule.max_hours_per_day * 60 for v in per_day.values())
    assert all(v <= rule.max_hours_per_week * 60 for v in per_week.values())


@settings(max_examples=100, deadline=None)
@given(reqs=requests)
def test_refusal_is_the_reason_the_booking_breaks(reqs):
    """Asking again for an accepted booking's time on its space is refused as taken."""
    accepted, _rule = run_requests(reqs, set())
    for _space, _patron, start, end in accepted:
        again = rules.refusal(span=(start, end), people=1, capacity=6, rule=RULE, booker=None,
                              day=rules.Day(periods=HOURS), taken=[(start, end)], now=NOW)
        assert again == "taken"


@given(status=st.sampled_from(["pending", "confirmed", "checked_in", "cancelled", "no_show"]),
       checked_in=st.booleans(), minutes_after=st.integers(-120, 600), release=st.integers(1, 120))
def test_releasing_no_shows_never_touches_a_checked_in_booking(status, checked_in, minutes_after, release):
    start = datetime(2025, 6, 3, 10, 0)
    released = rules.is_no_show(status=status, starts_at=start, checked_in=checked_in,
                                now=start + timedelta(minutes=minutes_after), release_after_minutes=release)
    if status == "checked_in" or checked_in:
        assert not released
    if released:
        assert minutes_after >= release and status == "confirmed"


@given(day=st.dates(date(2020, 1, 1), date(2030, 12, 31)))
def test_week_of_is_the_monday_to_sunday_holding_the_day(day):
    monday, sunday = rules.week_of(day)
    assert monday.weekday() == 0 and sunday.weekday() == 6 and monday <= day <= sunday


@given(periods=st.lists(st.tuples(st.integers(6, 12), st.integers(13, 22)), min_size=1, max_size=2),
       slot=st.sampled_from([15, 30, 45, 60, 90, 120]))
def test_day_slots_lie_within_opening_hours(periods, slot):
    hours = [(time(a), time(b)) for a, b in periods]
    for start, end in rules.day_slots(MONDAY, hours, slot):
        assert rules.within_hours((start, end), hours)
        assert rules.minutes((start, end)) == slot


def test_suspension_after_the_rule_number_of_no_shows():
    rule = rules.Rule(no_show_limit=3, no_show_period_days=30, suspension_days=14)
    today = date(2025, 6, 30)
    assert rules.suspension_until(no_show_days=[date(2025, 6, 10), date(2025, 6, 20)], today=today, rule=rule) is None
    assert rules.suspension_until(no_show_days=[date(2025, 6, 10), date(2025, 6, 20), today], today=today,
                                  rule=rule) == date(2025, 7, 14)
    assert rules.suspension_until(no_show_days=[date(2025, 5, 1)] * 5, today=today, rule=rule) is None
