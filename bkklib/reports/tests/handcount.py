"""What the hand-count tests of each app's indicators share: two branches in two districts, the Bangkok days on
both sides of the fiscal-year boundary (30 Sep / 1 Oct 2026, also a month end), the nightly passes over them, the
stored daily and monthly figures of one indicator, and the check that a rebuild stores exactly the same rows.

Rows at 23:59 on 30 Sep (16:59 UTC) and 00:00 on 1 Oct (17:00 UTC, still 30 Sep in UTC) fall on different
Bangkok days, months and fiscal years; rows on 29 Sep and 2 Oct lie outside the period aggregated and must not
appear anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bkklib.network.models import Branch, District
from bkklib.reports import rules, services
from bkklib.reports.models import DailyFigure, MonthlyFigure

BKK = ZoneInfo("Asia/Bangkok")
SEP30, OCT1 = date(2026, 9, 30), date(2026, 10, 1)  # the period aggregated: the last day of FY 2569, the first of 2570
BEFORE, AFTER = date(2026, 9, 29), date(2026, 10, 2)  # outside it
SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)
FY69, FY70 = 2569, 2570


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BKK)


@dataclass
class Two:
    a: Branch  # district 1001
    b: Branch  # district 1002


def two_branches(**kinds) -> Two:
    from bkklib.network.tests.factories import BranchFactory

    return Two(a=BranchFactory(name_th="ห้องสมุดนับมือ ก", district=District.objects.get(code="1001"),
                               **({"kind": kinds["a"]} if "a" in kinds else {})),
               b=BranchFactory(name_th="ห้องสมุดนับมือ ข", district=District.objects.get(code="1002"),
                               **({"kind": kinds["b"]} if "b" in kinds else {})))


def run_nights(first: date = SEP30, last: date = OCT1) -> None:
    """The nightly task of each day after ``first`` .. ``last`` (it counts yesterday)."""
    for day in rules.days(first, last):
        run = services.nightly(today=day + timedelta(days=1))
        assert run.errors == [], run.errors


def daily(key: str) -> dict:
    return {(r.day, r.branch_id, r.dims): r.value for r in DailyFigure.objects.filter(indicator=key)}


def monthly(key: str) -> dict:
    return {(r.month, r.fiscal_year, r.branch_id, r.dims): r.value for r in MonthlyFigure.objects.filter(indicator=key)}


def decimals(hand: dict) -> dict:
    return {k: Decimal(str(v)) for k, v in hand.items()}


def check(key: str, *, days: dict, months: dict) -> None:
    """The stored daily and monthly figures of ``key`` equal the hand counts (anything not listed is absent)."""
    assert daily(key) == decimals(days), key
    assert monthly(key) == decimals(months), key


def snapshot() -> tuple[set, set]:
    return (set(DailyFigure.objects.values_list("indicator", "day", "branch_id", "dims", "value")),
            set(MonthlyFigure.objects.values_list("indicator", "month", "fiscal_year", "branch_id", "dims", "value")))


def rebuild_agrees(keys: list[str], first: date = SEP30, last: date = OCT1) -> None:
    """Forget every stored figure and rebuild the period on demand: the same rows as the nightly passes."""
    nightly = snapshot()
    assert {row[0] for row in nightly[0]} >= set(keys)  # the app's figures are among them
    DailyFigure.objects.all().delete()
    MonthlyFigure.objects.all().delete()
    run = services.rebuild(first, last, user=None, reason="ตรวจนับด้วยมือ", today=date(2026, 12, 7))
    assert run.errors == []
    assert snapshot() == nightly
