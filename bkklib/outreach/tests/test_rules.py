"""Property tests of the pure rules: visit placement, timetable days, distances, the order of synced actions."""
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bkklib.outreach import rules

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(days, st.sets(st.integers(min_value=0, max_value=10), max_size=8))
def test_a_visit_never_lands_on_a_closed_day_nor_before_its_plan(planned, closed_offsets):
    closed = {planned + timedelta(days=n) for n in closed_offsets}
    placed = rules.place_visit(planned, is_closed=closed.__contains__)
    if placed.visit_on is not None:
        assert placed.visit_on not in closed
        assert planned <= placed.visit_on <= planned + timedelta(days=rules.MOVE_WITHIN_DAYS)
        assert placed.moved == (placed.visit_on != planned)
    else:
        assert planned in closed


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(days, st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=90))
def test_weekly_days_fall_on_the_weekday_within_the_range(start, weekday, length):
    end = start + timedelta(days=length)
    found = list(rules.timetable_days(weekday=weekday, on_date=None, valid_from=start, valid_until=None,
                                      start=start, end=end))
    assert all(d.weekday() == weekday and start <= d <= end for d in found)
    assert len(found) in (length // 7, length // 7 + 1)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.floats(-80, 80), st.floats(-170, 170), st.floats(-80, 80), st.floats(-170, 170))
def test_distance_is_symmetric_and_not_negative(a, b, c, d):
    assert rules.distance_km(a, b, c, d) >= 0
    assert abs(rules.distance_km(a, b, c, d) - rules.distance_km(c, d, a, b)) < 1e-6


def test_a_known_distance_in_bangkok():
    # Democracy Monument to Victory Monument: about 3.9 km.
    assert 3.5 < rules.distance_km(13.7567, 100.5018, 13.7649, 100.5383) < 4.2


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 50)), max_size=30, unique=True))
def test_actions_are_applied_by_time_then_sequence(pairs):
    base = datetime(2025, 6, 3, tzinfo=UTC)
    actions = [rules.QueuedAction(f"id-{i:06d}", "lend", base + timedelta(minutes=m), seq) for i, (m, seq) in
               enumerate(pairs)]
    ordered = rules.apply_order(reversed(actions))
    keys = [(a.happened_at, a.seq) for a in ordered]
    assert keys == sorted(keys)


def test_age_groups():
    assert [rules.age_group(a) for a in (None, 5, 13, 30, 60)] == [None, "children", "youth", "adults", "elderly"]
