"""Background halves of the acquisitions verbs (huey): notices to patrons after commit."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def send_request_notice(request_id: int, kind: str) -> int:
    """Tell the patron what became of their purchase suggestion (received, on_shelf, declined)."""
    from . import notices

    return len(notices.send_request_notice(request_id, kind))


@db_periodic_task(crontab(hour="3", minute="40"))
def forget_old_personal_data() -> int:
    """PDPA retention: unlink closed suggestions from patrons after a year, clear old donors' contacts."""
    from .pdpa import forget_old

    return forget_old()
