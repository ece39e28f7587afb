"""The pure rule engine, property-tested with hypothesis (no database)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bkklib.circulation import rules

dates = st.dates(date(2000, 1, 1), date(2100, 1, 1))
money = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("1000.00"), places=2)
closed_offsets = st.sets(st.integers(0, 45), max_size=30)
# No deadline: the suite shares two cores with other test runs, and a slow example is not a wrong one.
relaxed = settings(deadline=None, max_examples=80)


@relaxed
@given(start=dates, loan_days=st.integers(1, 90), closed_offsets=closed_offsets)
def test_a_due_date_never_lands_on_a_closed_day(start, loan_days, closed_offsets):
    nominal = start + timedelta(days=loan_days)
    closed = {nominal + timedelta(days=n) for n in closed_offsets}

    due = rules.due_date(start=start, loan_days=loan_days, is_open=lambda d: d not in closed)

    assert due >= nominal and due not in closed
    assert all(nominal + timedelta(days=n) in closed for n in range((due - nominal).days))


@relaxed
@given(start=dates, loan_days=st.integers(1, 90), weekly_closed=st.sets(st.integers(0, 6), max_size=6))
def test_weekly_closing_days_are_skipped(start, loan_days, weekly_closed):
    due = rules.due_date(start=start, loan_days=loan_days, is_open=lambda d: d.weekday() not in weekly_closed)
    assert due.weekday() not in weekly_closed
    assert (due - (start + timedelta(days=loan_days))).days < 7


def test_a_calendar_with_no_open_day_is_an_error_not_a_loop():
    with pytest.raises(ValueError):
        rules.due_date(start=date(2025, 1, 1), loan_days=14, is_open=lambda d: False)


@relaxed
@given(today=dates, due_offset=st.integers(-30, 30), loan_days=st.integers(1, 60), allowed=st.integers(0, 5),
       closed_offsets=closed_offsets)
def test_renewals_never_exceed_the_limit(today, due_offset, loan_days, allowed, closed_offsets):
    policy = rules.Policy(loan_days=loan_days, renewals_allowed=allowed)
    borrower = rules.Borrower(card_expires_on=today + timedelta(days=365))
    closed = {today + timedelta(days=n) for n in closed_offsets}
    due, renewals = today + timedelta(days=due_offset), 0
    for _attempt in range(allowed + 3):
        if rules.renewal_refusal(borrower=borrower, policy=policy, renewals_done=renewals, held_for_others=False,
                                 today=today):
            break
        new_due = rules.renewed_due_date(today=today, current_due=due, loan_days=loan_days,
                                         is_open=lambda d: d not in closed)
        assert new_due >= due and new_due not in closed
        due, renewals = new_due, renewals + 1
    assert renewals == allowed
    assert rules.renewal_refusal(borrower=borrower, policy=policy, renewals_done=renewals, held_for_others=False,
                                 today=today) == "renewal_limit"


@relaxed
@given(renewals=st.integers(0, 1))
def test_a_title_another_patron_waits_for_cannot_be_renewed(renewals):
    borrower = rules.Borrower(card_expires_on=date(2030, 1, 1))
    reason = rules.renewal_refusal(borrower=borrower, policy=rules.Policy(renewals_allowed=2), renewals_done=renewals,
                                   held_for_others=True, today=date(2025, 1, 1))
    assert reason == "on_hold_for_another"


@relaxed
@given(due=dates, late=st.integers(0, 120), per_day=money, cap=money, grace=st.integers(0, 5),
       closed_offsets=st.sets(st.integers(1, 120), max_size=60))
def test_a_fine_never_exceeds_its_cap_and_never_counts_closed_days(due, late, per_day, cap, grace, closed_offsets):
    returned = due + timedelta(days=late)
    closed = {due + timedelta(days=n) for n in closed_offsets}
    is_open = lambda d: d not in closed  # noqa: E731

    fine = rules.overdue_fine(due_on=due, returned_on=returned, fine_per_day=per_day, max_fine=cap, grace_days=grace,
                              is_open=is_open)

    open_late = sum(1 for n in range(1, late + 1) if due + timedelta(days=n) not in closed)
    assert 0 <= fine <= cap
    expected = Decimal("0.00") if open_late <= grace else min(cap, per_day * open_late)
    assert fine == expected
    # Closing one more day that was open never raises the fine.
    open_days = [due + timedelta(days=n) for n in range(1, late + 1) if due + timedelta(days=n) not in closed]
    if open_days:
        fewer = rules.overdue_fine(due_on=due, returned_on=returned, fine_per_day=per_day, max_fine=cap,
                                   grace_days=grace, is_open=lambda d: d not in closed and d != open_days[0])
        assert fewer <= fine


@relaxed
@given(due=dates, late=st.integers(0, 60))
def test_no_fine_when_every_late_day_was_closed(due, late):
    fine = rules.overdue_fine(due_on=due, returned_on=due + timedelta(days=late), fine_per_day=Decimal("5"),
                              max_fine=Decimal("100"), grace_days=0, is_open=lambda d: False)
    assert fine == 0


def test_a_fine_counts_open_days_after_the_due_date_only():
    # Due Tuesday; back the next Tuesday; closed Monday: six open days late at 5 baht.
    fine = rules.overdue_fine(due_on=date(2025, 6, 3), returned_on=date(2025, 6, 10), fine_per_day=Decimal("5"),
                              max_fine=Decimal("100"), grace_days=0, is_open=lambda d: d.weekday() != 0)
    assert fine == Decimal("30.00")


@relaxed
@given(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
       balances=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200"), places=2), min_size=1,
                         max_size=8))
def test_a_payment_is_split_oldest_first_and_never_over_a_balance(amount, balances):
    pairs = list(enumerate(balances))
    assume(amount <= sum(balances))
    parts = rules.allocate_payment(amount, pairs)
    assert sum(p for _i, p in parts) == amount
    for charge_id, part in parts:
        assert 0 < part <= balances[charge_id]
    ids = [i for i, _p in parts]
    assert ids == sorted(ids)
    assert all(part == balances[i] for i, part in parts[:-1])  # every charge but the last is paid in full


def test_a_payment_larger_than_the_debt_is_refused():
    with pytest.raises(ValueError):
        rules.allocate_payment(Decimal("50"), [(1, Decimal("20")), (2, Decimal("10"))])


@relaxed
@given(branch=st.sampled_from([None, 1]), category=st.sampled_from([None, 10]), item_type=st.sampled_from([None, 100]))
def test_the_most_specific_policy_wins(branch, category, item_type):
    keys = [rules.PolicyKey(b, c, t) for b in (None, 1, 2) for c in (None, 10, 11) for t in (None, 100, 101)]
    chosen = rules.choose_policy(((k, k) for k in keys), branch_id=branch or 1, category_id=category or 10,
                                 item_type_id=item_type or 100)
    assert chosen == rules.PolicyKey(1, 10, 100)
    only_default = rules.choose_policy([(rules.PolicyKey(), "default"), (rules.PolicyKey(2, None, None), "other")],
                                       branch_id=1, category_id=10, item_type_id=100)
    assert only_default == "default"


def test_a_branch_row_beats_a_category_and_item_type_row():
    rows = [(rules.PolicyKey(None, 10, 100), "category+type"), (rules.PolicyKey(1, None, None), "branch")]
    assert rules.choose_policy(rows, branch_id=1, category_id=10, item_type_id=100) == "branch"


@pytest.mark.parametrize(("borrower", "reason"), [
    (rules.Borrower(status="pending", card_expires_on=date(2030, 1, 1)), "patron_pending"),
    (rules.Borrower(card_expires_on=date(2024, 12, 31)), "card_expired"),
    (rules.Borrower(card_expires_on=date(2030, 1, 1), is_blocked=True), "patron_blocked"),
    (rules.Borrower(card_expires_on=date(2030, 1, 1), fines_due=Decimal("100")), "fines_due"),
    (rules.Borrower(card_expires_on=date(2030, 1, 1), open_loans=10), "loan_limit"),
    (rules.Borrower(card_expires_on=date(2030, 1, 1), open_loans=2, open_loans_of_type=3), "loan_limit_item_type"),
    (rules.Borrower(card_expires_on=date(2030, 1, 1), fines_due=Decimal("99.99"), open_loans=9), None),
])
def test_checkout_refusals_name_the_first_reason(borrower, reason):
    policy = rules.Policy(max_loans=10, max_loans_of_type=3)
    assert rules.checkout_refusal(borrower=borrower, policy=policy, today=date(2025, 1, 1)) == reason


def test_library_use_only_items_are_not_lent():
    borrower = rules.Borrower(card_expires_on=date(2030, 1, 1))
    assert rules.checkout_refusal(borrower=borrower, policy=rules.Policy(loan_days=0), today=date(2025, 1, 1)) == (
        "not_for_loan")


@relaxed
@given(birth=st.dates(date(1900, 1, 1), date(2025, 1, 1)), today=st.dates(date(2025, 1, 1), date(2030, 1, 1)))
def test_age_bands_cover_every_age(birth, today):
    band = rules.age_band(birth, today)
    age = rules.age_on(birth, today)
    assert band != "unknown"
    low, high = (int(x) for x in band.replace("+", "-200").split("-")[:2])
    assert low <= age <= high


def test_membership_fees_follow_the_age_tiers_and_a_category_tier_wins():
    tiers = [rules.FeeTier(0, 4, Decimal("10")), rules.FeeTier(5, 59, Decimal("50")), rules.FeeTier(60, None, Decimal("0")),
             rules.FeeTier(0, None, Decimal("0"), category_id=7)]
    assert rules.membership_fee(tiers, age=3, category_id=1) == Decimal("10")
    assert rules.membership_fee(tiers, age=30, category_id=1) == Decimal("50")
    assert rules.membership_fee(tiers, age=70, category_id=1) == Decimal("0")
    assert rules.membership_fee(tiers, age=30, category_id=7) == Decimal("0")


@relaxed
@given(due=dates, late=st.integers(-10, 60))
def test_overdue_notice_levels_rise_with_the_schedule(due, late):
    level = rules.overdue_notice_level(due_on=due, today=due + timedelta(days=late), schedule=(1, 8, 15))
    assert level == (late >= 1) + (late >= 8) + (late >= 15)


@relaxed
@given(start=dates, years=st.integers(1, 5))
def test_a_card_expires_years_later_even_from_29_february(start, years):
    expiry = rules.card_expiry(start, years)
    assert expiry.year == start.year + years and expiry.month == start.month


def test_a_hold_limit_and_an_existing_hold_are_refused():
    borrower = rules.Borrower(card_expires_on=date(2030, 1, 1), active_holds=5)
    policy = rules.Policy(max_holds=5)
    kwargs = {"borrower": borrower, "policy": policy, "has_it_on_loan": False, "today": date(2025, 1, 1)}
    assert rules.hold_refusal(already_holds_it=False, **kwargs) == "hold_limit"
    assert rules.hold_refusal(already_holds_it=True, **kwargs) == "already_held"
