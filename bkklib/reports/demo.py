"""Demo figures: every indicator aggregated from the other apps' demo data (loaded before this app's demo),
from the start of the previous fiscal year to yesterday, so the dashboard compares two years on a fresh site.

Deterministic and idempotent: an aggregation replaces the stored days; the run is labelled as demo data.
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bkklib.core.calendar import fiscal_year, fiscal_year_bounds

from . import services

LABEL = "(ข้อมูลสาธิต)"


def run(stdout=None, scale: float = 1.0) -> None:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    fy = fiscal_year(yesterday)
    first = fiscal_year_bounds(fy - 1 if scale >= 0.5 else fy)[0]
    result = services.aggregate(first, yesterday, trigger="rebuild", reason=f"สร้างตัวเลขสาธิต {LABEL}")
    if stdout:
        stdout.write(f"reports: {result.rows} daily figures from {first} to {yesterday} in {result.seconds} s")
