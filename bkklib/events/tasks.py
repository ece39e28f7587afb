"""Background halves of the events verbs (huey): notices to promoted participants, guest-data retention."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def notify_promoted_task(registration_id: int) -> int:
    """Tell a participant promoted from the waiting list that they have a place; return attempts made."""
    from . import notices

    return len(notices.notify_promoted(registration_id))


@db_periodic_task(crontab(hour="3", minute="40"))
def anonymise_guests_nightly() -> int:
    """PDPA retention: remove guests' names and phones once the retention period after their session ends."""
    from django.utils import timezone

    from .services import retention

    return retention.anonymise_old_guests(now=timezone.now())
