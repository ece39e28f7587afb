"""Periodic tasks run on Bangkok time: the 07:00 notices at 07:00 in Bangkok, not 07:00 UTC (14:00 here)."""
from datetime import datetime

from huey.contrib.djhuey import HUEY

from bkklib.circulation import tasks as circulation_tasks
from bkklib.core import tasks as core_tasks


def test_huey_keeps_local_bangkok_time():
    assert HUEY.utc is False
    notices = circulation_tasks.daily_notices.s()
    assert notices.validate_datetime(datetime(2026, 12, 7, 7, 0))
    assert not notices.validate_datetime(datetime(2026, 12, 7, 14, 0))
    assert core_tasks.bangkok_hour(1) == 1  # the nightly backup at 01:xx Bangkok
