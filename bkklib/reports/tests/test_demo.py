"""The demo aggregates the other apps' data and can run twice."""
import pytest

from bkklib.reports import demo
from bkklib.reports.models import AggregationRun, DailyFigure

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(stored):
    demo.run(scale=0.1)
    first = set(DailyFigure.objects.values_list("indicator", "day", "branch_id", "dims", "value"))
    demo.run(scale=0.1)
    assert set(DailyFigure.objects.values_list("indicator", "day", "branch_id", "dims", "value")) == first
    assert AggregationRun.objects.filter(reason__contains="ข้อมูลสาธิต").count() == 2
