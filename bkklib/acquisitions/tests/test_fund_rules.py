"""Fund arithmetic as pure rules, property-tested: the figures always add up, and a fund never goes below
zero unless an override allows exactly that much. Fiscal-year boundaries fall on 30 Sep / 1 Oct."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bkklib.acquisitions import rules
from bkklib.core.calendar import fiscal_year, fiscal_year_bounds

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2)
pcts = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)


class FundMachine(RuleBasedStateMachine):
    """Random commits, releases, spends, allocations and overrides against a ledger kept beside the fund."""

    def __init__(self):
        super().__init__()
        self.state = rules.FundState()
        self.commits = self.releases = self.spends = self.allocations = self.overrides = Decimal(0)

    @rule(amount=amounts)
    def allocate(self, amount):
        self.state = rules.allocate(self.state, amount)
        self.allocations += amount

    @rule(amount=amounts)
    def commit(self, amount):
        if amount > self.state.available:
            with pytest.raises(rules.Refusal) as refused:
                rules.commit(self.state, amount)
            assert refused.value.reason == "insufficient_funds"
        else:
            self.state = rules.commit(self.state, amount)
            self.commits += amount

    @precondition(lambda self: self.state.committed > 0)
    @rule(share=st.floats(min_value=0.01, max_value=1.5))
    def release(self, share):
        amount = rules.money(self.state.committed * Decimal(str(share)))
        if amount <= 0:
            return
        if amount > self.state.committed:
            with pytest.raises(rules.Refusal):
                rules.release(self.state, amount)
        else:
            self.state = rules.release(self.state, amount)
            self.releases += amount

    @precondition(lambda self: self.state.committed > 0)
    @rule(share=st.floats(min_value=0.01, max_value=1.5))
    def spend(self, share):
        amount = rules.money(self.state.committed * Decimal(str(share)))
        if amount <= 0:
            return
        if amount > self.state.committed:
            with pytest.raises(rules.Refusal):
                rules.spend(self.state, amount)
        else:
            self.state = rules.spend(self.state, amount)
            self.spends += amount

    @rule(amount=amounts)
    def override(self, amount):
        self.state = rules.override(self.state, amount)
        self.overrides += amount

    @invariant()
    def figures_add_up(self):
        assert self.state.budget == self.allocations
        assert self.state.committed == self.commits - self.releases - self.spends
        assert self.state.spent == self.spends
        assert self.state.committed >= 0 and self.state.spent >= 0

    @invariant()
    def never_below_zero_without_override(self):
        assert self.state.free >= -self.overrides
        if self.overrides == 0:
            assert self.state.free >= 0


TestFundMachine = FundMachine.TestCase
TestFundMachine.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


@given(budget=amounts, amount=amounts)
def test_a_commitment_beyond_the_free_money_is_refused_and_changes_nothing(budget, amount):
    state = rules.FundState(budget=budget)
    if amount > budget:
        with pytest.raises(rules.Refusal):
            rules.commit(state, amount)
    else:
        assert rules.commit(state, amount).free == budget - amount


@given(a=amounts, b=amounts, amount=amounts)
def test_a_transfer_keeps_the_total_budget_and_moves_only_free_money(a, b, amount):
    source, target = rules.FundState(budget=a), rules.FundState(budget=b)
    if amount > a:
        with pytest.raises(rules.Refusal) as refused:
            rules.transfer(source, target, amount)
        assert refused.value.reason == "transfer_exceeds_free"
    else:
        new_source, new_target = rules.transfer(source, target, amount)
        assert new_source.budget + new_target.budget == a + b
        assert new_source.free >= 0


@given(price=prices, discount=pcts, vat=pcts, quantity=st.integers(min_value=1, max_value=50))
def test_copy_cost_is_never_negative_and_never_above_price_plus_vat(price, discount, vat, quantity):
    rules.check_price(price, discount, vat, quantity)
    cost = rules.copy_cost(price, discount, vat)
    assert Decimal(0) <= cost <= rules.money(price * (100 + vat) / 100)
    assert cost == cost.quantize(Decimal("0.01"))


@pytest.mark.parametrize(("price", "discount", "vat", "reason"), [
    (Decimal("-1"), Decimal(0), Decimal(0), "negative_price"),
    (Decimal("100"), Decimal("101"), Decimal(0), "bad_discount"),
    (Decimal("100"), Decimal(0), Decimal("100.01"), "bad_vat"),
    (Decimal("100"), Decimal(0), Decimal("-7"), "bad_vat"),
])
def test_bad_prices_are_refused_with_their_reason(price, discount, vat, reason):
    with pytest.raises(rules.Refusal) as refused:
        rules.check_price(price, discount, vat, 1)
    assert refused.value.reason == reason


def test_copy_cost_applies_discount_then_vat_and_rounds_half_up():
    assert rules.copy_cost(Decimal("350"), Decimal("25"), Decimal("7")) == Decimal("280.88")  # 262.5 × 1.07
    assert rules.copy_cost(Decimal("0.05"), Decimal("0"), Decimal("10")) == Decimal("0.06")  # 0.055 → 0.06


@given(free=amounts, open_commitment=amounts, rule_name=st.sampled_from(rules.ROLLOVER_RULES))
def test_rollover_carries_exactly_the_open_commitments_and_by_rule_the_free_budget(free, open_commitment,
                                                                                  rule_name):
    state = rules.FundState(budget=free + open_commitment, committed=open_commitment)
    carried, carried_free = rules.rollover_amounts(state, open_commitment, rule_name)
    if rule_name == "nothing":
        assert (carried, carried_free) == (0, 0)
    else:
        assert carried == open_commitment
        assert carried_free == (free if rule_name == "commitments_and_free" else 0)


@pytest.mark.parametrize(("day", "fy"), [
    (date(2025, 9, 30), 2568), (date(2025, 10, 1), 2569), (date(2026, 9, 30), 2569), (date(2026, 10, 1), 2570),
    (date(2024, 2, 29), 2567), (date(2025, 12, 31), 2569), (date(2026, 1, 1), 2569),
])
def test_fiscal_year_boundaries_fall_between_30_september_and_1_october(day, fy):
    assert fiscal_year(day) == fy
    first, last = fiscal_year_bounds(fy)
    assert first <= day <= last


def test_an_inspection_receiving_more_than_outstanding_is_refused():
    with pytest.raises(rules.Refusal) as refused:
        rules.check_inspection(rules.Inspection(received=3), outstanding=2, title="ก")
    assert refused.value.reason == "over_receipt"
    rules.check_inspection(rules.Inspection(received=2, short=1), outstanding=2)
