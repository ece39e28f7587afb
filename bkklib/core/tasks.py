"""Background halves of core services (huey): deliver a notification outside the request; nightly backups."""
from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import metrics, notifications

# The worker's own /metrics (imports it runs, queue depth) when BKKLIB_WORKER_METRICS_PORT is set.
HUEY.on_startup("bkklib-metrics")(metrics.serve_worker_metrics)


@db_task(retries=2, retry_delay=60)
def send_notification(recipient: dict, code: str, context: dict, channels: list[str], about: str = "") -> list[int]:
    """Render and send template ``code`` to ``recipient`` (a dict of ``Recipient`` fields); return attempt ids."""
    attempts = notifications.notify(
        notifications.Recipient(**recipient), code, context, channels=tuple(channels), about=about
    )
    return [a.pk for a in attempts]


def bangkok_hour(hour: int) -> int:
    """Return the hour of huey's clock at ``hour`` o'clock in Bangkok (huey keeps UTC unless told otherwise; UTC+7)."""
    return (hour - 7) % 24 if HUEY.utc else hour


@db_periodic_task(crontab(hour=str(bangkok_hour(settings.BKKLIB["BACKUP_HOUR"])),
                          minute=str(settings.BKKLIB["BACKUP_MINUTE"])))
def scheduled_backup() -> str | None:
    """Back up into BKKLIB_BACKUP_DIR and keep the newest BKKLIB_BACKUP_KEEP (docs/admin/backup.md); None when unset."""
    from pathlib import Path

    from . import backup

    dest = settings.BKKLIB.get("BACKUP_DIR")
    if not dest:
        return None
    return str(backup.create(Path(dest), keep=settings.BKKLIB["BACKUP_KEEP"]))
