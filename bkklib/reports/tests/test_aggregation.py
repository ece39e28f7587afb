"""Every stored figure equals the hand count of a fixed data set, on both sides of the fiscal-year and a month
boundary in Bangkok time; the nightly passes and an on-demand rebuild store exactly the same rows."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from bkklib.core import roles
from bkklib.network.tests.factories import staff_user
from bkklib.reports import queries, rules, services
from bkklib.reports.exceptions import BadPeriod, FuturePeriod, PeriodTooLong, ReasonRequired
from bkklib.reports.models import AggregationRun, DailyFigure, MonthlyFigure

from . import world

pytestmark = pytest.mark.django_db


def run_nights():
    for day in rules.days(world.FIRST_DAY, world.LAST_DAY):
        services.nightly(today=day + timedelta(days=1))


def monthly_cells():
    rows = MonthlyFigure.objects.values("indicator", "month", "branch_id").annotate(v=Sum("value")).order_by()
    return {(r["indicator"], r["month"], r["branch_id"]): r["v"] for r in rows}


def snapshot():
    daily = set(DailyFigure.objects.values_list("indicator", "day", "branch_id", "dims", "value"))
    monthly = set(MonthlyFigure.objects.values_list("indicator", "month", "fiscal_year", "branch_id", "dims", "value"))
    return daily, monthly


def test_every_indicator_equals_the_hand_count():
    w = world.build()
    services.aggregate(world.FIRST_DAY, world.LAST_DAY)  # one pass; equal to the nights (test below)
    letters = {w.a.pk: "a", w.b.pk: "b"}
    cells = monthly_cells()
    for key, hand in world.HAND.items():
        stored = {(month, letters[branch]): v for (ind, month, branch), v in cells.items() if ind == key}
        assert stored == {k: Decimal(v) for k, v in hand.items()}, key


def test_fiscal_year_totals_and_cuts_equal_the_hand_count():
    w = world.build()
    services.aggregate(world.FIRST_DAY, world.LAST_DAY)
    fy70 = queries.cube(queries.Filter(2570))
    for key, hand in world.HAND_FY2570.items():
        assert fy70.value(key) == Decimal(hand), key
    fy69 = queries.cube(queries.Filter(2569))
    for key, hand in world.HAND_FY2569.items():
        assert fy69.value(key) == Decimal(hand), key
    assert fy70.value("circulation.loans", by="district") == {"1001": 2, "1002": 3}
    assert fy70.value("circulation.loans", by="branch") == {w.a.pk: 2, w.b.pk: 3}
    assert fy70.value("circulation.loans", by="month") == {world.OCT: 2 + 1, world.NOV: 2}
    # October alone (fiscal month 1) and the reading houses alone
    assert queries.cube(queries.Filter(2570, 1, 1)).value("circulation.loans") == 3
    assert queries.cube(queries.Filter(2570, branch_kind="reading_house")).value("circulation.loans") == 3
    assert queries.cube(queries.Filter(2570, district="1001")).value("circulation.active_members") == 1
    assert queries.by_dimension("circulation.new_members", queries.Filter(2570), "patron_category") == {
        "adult": 1, "child": 1}


def test_nightly_and_rebuild_store_the_same_rows():
    world.build()
    run_nights()
    nightly = snapshot()
    assert AggregationRun.objects.filter(trigger="nightly").count() == 33
    DailyFigure.objects.all().delete()
    MonthlyFigure.objects.all().delete()
    admin = staff_user(roles.NETWORK_ADMIN)
    run = services.rebuild(world.FIRST_DAY, world.LAST_DAY, user=admin, reason="ตรวจสอบ", today=date(2026, 12, 7))
    assert snapshot() == nightly
    assert run.trigger == "rebuild" and run.requested_by == admin and run.rows == len(nightly[0])
    assert run.errors == [] and run.finished_at


def test_a_rebuild_counts_late_corrections():
    from bkklib.circulation.models import Loan

    w = world.build()
    run_nights()
    Loan.objects.filter(branch=w.b, checked_out_at__date__gte=date(2026, 10, 31)).update(branch=w.a)
    services.rebuild(date(2026, 10, 31), date(2026, 11, 1), user=None, reason="แก้สาขา", today=date(2026, 12, 1))
    cells = monthly_cells()
    assert cells[("circulation.loans", world.NOV, w.a.pk)] == 2
    assert ("circulation.loans", world.NOV, w.b.pk) not in cells


def test_a_failing_indicator_keeps_its_rows_and_the_others_are_stored(monkeypatch):
    from bkklib.core import indicators

    w = world.build()
    services.nightly(today=date(2026, 10, 2))
    real = indicators.Indicator.compute

    def broken(self, day):
        if self.key == "circulation.loans":
            raise RuntimeError("database gone")
        return real(self, day)

    monkeypatch.setattr(indicators.Indicator, "compute", broken)
    run = services.nightly(today=date(2026, 10, 2))
    assert run.errors[0]["indicator"] == "circulation.loans"
    assert DailyFigure.objects.get(indicator="circulation.loans", day=date(2026, 10, 1), branch=w.a).value == 2
    assert DailyFigure.objects.filter(indicator="circulation.returns", day=date(2026, 10, 1)).count() == 1


@pytest.mark.parametrize(("first", "last", "reason", "error"), [
    (date(2026, 10, 5), date(2026, 10, 1), "x", BadPeriod),
    (date(2026, 10, 1), date(2026, 12, 7), "x", FuturePeriod),
    (date(2020, 1, 1), date(2026, 10, 1), "x", PeriodTooLong),
    (date(2026, 10, 1), date(2026, 10, 2), "  ", ReasonRequired),
])
def test_impossible_rebuilds_are_refused_in_thai_and_nothing_is_stored(first, last, reason, error):
    from django.utils import translation

    with pytest.raises(error) as caught:
        services.rebuild(first, last, user=None, reason=reason, today=date(2026, 12, 7))
    with translation.override("th"):
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in caught.value.text)
    assert not AggregationRun.objects.exists() and not DailyFigure.objects.exists()
