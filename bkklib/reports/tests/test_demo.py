"""The demo aggregates the other apps' data and can run twice."""
from datetime import date

import pytest

from bkklib.reports import demo
from bkklib.reports.models import AggregationRun, DailyFigure

from . import world

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(monkeypatch):
    from django.utils import timezone

    world.build()
    # Today is 2 Nov 2026: the demo (scale < 0.5: this fiscal year) aggregates 1 Oct .. 1 Nov, the world's
    # October and its first of November, rather than every day up to the real today.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 11, 2))
    demo.run(scale=0.1)
    first = set(DailyFigure.objects.values_list("indicator", "day", "branch_id", "dims", "value"))
    days = {row[1] for row in first}
    assert days and min(days) >= date(2026, 10, 1) and max(days) <= date(2026, 11, 1)
    demo.run(scale=0.1)
    assert set(DailyFigure.objects.values_list("indicator", "day", "branch_id", "dims", "value")) == first
    assert AggregationRun.objects.filter(reason__contains="ข้อมูลสาธิต").count() == 2
