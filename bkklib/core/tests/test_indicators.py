"""core.indicators: apps contribute figures through one registry; circulation's count one Bangkok day."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bkklib.core import indicators

BKK = ZoneInfo("Asia/Bangkok")


def test_registry_finds_each_apps_indicators_with_their_app():
    found = indicators.by_key()
    loans = found["circulation.loans"]
    assert loans.app == "circulation" and loans.kind == indicators.FLOW
    assert str(loans.definition)
    assert len(found) == len(indicators.registry())  # keys are unique


def test_day_bounds_are_bangkok_days():
    start, end = indicators.day_bounds(date(2026, 9, 30))
    assert start == datetime(2026, 9, 30, tzinfo=BKK) and end == datetime(2026, 10, 1, tzinfo=BKK)
