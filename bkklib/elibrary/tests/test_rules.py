"""The licence arithmetic at its edges (pure rules, property-tested)."""
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .. import rules

D = date(2026, 3, 10)


def terms(kind="perpetual", copies=1, loans_total=None, loans_used=0, expires_on=None, active=0, id=1,
          starts_on=date(2026, 1, 1)):
    return rules.Terms(id=id, kind=kind, copies=copies, loans_total=loans_total, loans_used=loans_used,
                       starts_on=starts_on, expires_on=expires_on, active_loans=active)


def test_a_metered_licence_lends_its_last_loan_and_then_no_more():
    last = terms("metered", copies=3, loans_total=10, loans_used=9)
    assert last.free(D) == 1
    assert terms("metered", copies=3, loans_total=10, loans_used=10).free(D) == 0


def test_a_licence_metered_by_loans_and_time_ends_at_whichever_comes_first():
    assert terms("metered", loans_total=100, loans_used=1, expires_on=D - timedelta(days=1)).free(D) == 0
    assert terms("metered", loans_total=5, loans_used=5, expires_on=D + timedelta(days=300)).free(D) == 0
    assert terms("metered", loans_total=5, loans_used=4, expires_on=D).free(D) == 1  # its last day still lends


def test_a_licence_not_yet_started_lends_nothing():
    assert terms(starts_on=D + timedelta(days=1)).free(D) == 0


def test_open_access_is_unlimited_and_chosen_first():
    open_, paid = terms("open", copies=None, id=2), terms("perpetual", copies=1, id=1)
    assert rules.availability([paid, open_], today=D).free is None
    assert rules.choose([paid, open_], today=D).id == 2


def test_the_licence_ending_first_is_used_first():
    soon = terms("metered", copies=1, expires_on=D + timedelta(days=5), id=1)
    later = terms("concurrent", copies=1, expires_on=D + timedelta(days=50), id=2)
    ever = terms("perpetual", copies=1, id=3)
    assert rules.choose([ever, later, soon], today=D).id == 1


def test_a_loan_runs_to_its_end_even_past_the_licence():
    from datetime import datetime

    start = datetime(2026, 3, 25, 9, 0)
    assert rules.loan_end(start, 14) == datetime(2026, 4, 8, 9, 0)


def test_attention_within_30_days_or_at_most_ten_percent_of_loans_left():
    assert rules.needs_attention(terms(expires_on=D + timedelta(days=30)), today=D)
    assert not rules.needs_attention(terms(expires_on=D + timedelta(days=31)), today=D)
    assert rules.needs_attention(terms("metered", loans_total=20, loans_used=18), today=D)
    assert not rules.needs_attention(terms("metered", loans_total=20, loans_used=17), today=D)
    assert not rules.needs_attention(terms("open", copies=None, expires_on=D), today=D)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(copies=st.integers(1, 50), active=st.integers(0, 60), total=st.one_of(st.none(), st.integers(1, 100)),
       used=st.integers(0, 100), ready=st.integers(0, 10))
def test_free_copies_never_exceed_copies_or_loans_left(copies, active, total, used, ready):
    if total is not None:
        used = min(used, total)
    t = terms("metered" if total else "concurrent", copies=copies, loans_total=total, loans_used=used,
              active=min(active, copies))
    free = t.free(D)
    assert 0 <= free <= copies - min(active, copies)
    if total is not None:
        assert free <= total - used
    avail = rules.availability([t], today=D, ready_holds=ready)
    assert avail.can_borrow == (free > ready)


def test_free_seat_is_the_lowest_untaken():
    assert rules.free_seat(3, {1, 3}) == 2
    assert rules.free_seat(2, {1, 2}) is None
