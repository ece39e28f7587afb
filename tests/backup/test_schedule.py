"""The nightly backup task is a no-op until BKKLIB_BACKUP_DIR names a folder."""
from bkklib.core import tasks


def test_scheduled_backup_does_nothing_without_a_folder(settings):
    settings.BKKLIB = {**settings.BKKLIB, "BACKUP_DIR": ""}
    assert tasks.scheduled_backup.call_local() is None
