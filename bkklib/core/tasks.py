"""Background halves of core services (huey): deliver a notification outside the request."""
from huey.contrib.djhuey import HUEY, db_task

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
