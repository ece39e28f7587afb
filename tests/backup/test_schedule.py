"""The nightly backup task is a no-op until BKKLIB_BACKUP_DIR names a folder."""
from bkklib.core import tasks


def test_scheduled_backup_does_nothing_without_a_folder(settings):
    settings.BKKLIB = {**settings.BKKLIB, "BACKUP_DIR": ""}
    assert tasks.scheduled_backup.call_local() is None


def test_the_nightly_backup_runs_at_the_bangkok_hour_on_hueys_utc_clock():
    from datetime import datetime

    from huey.contrib.djhuey import HUEY

    assert tasks.bangkok_hour(1) == (18 if HUEY.utc else 1)
    task = tasks.scheduled_backup.s()
    at = datetime(2026, 12, 6, 18, 30) if HUEY.utc else datetime(2026, 12, 7, 1, 30)  # 01:30 in Bangkok
    assert task.validate_datetime(at) and not task.validate_datetime(at.replace(minute=31))
