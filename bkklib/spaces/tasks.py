"""Background halves of the spaces verbs (huey): notices after commit, the no-show release every 5 minutes."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def send_booking_notice(booking_id: int, kind: str) -> int:
    """Tell the patron about booking ``booking_id`` (confirmed, pending, rejected, cancelled)."""
    from . import notices

    return len(notices.send_booking_notice(booking_id, kind))


@db_task(retries=2, retry_delay=60)
def send_suspension_notice(suspension_id: int) -> int:
    from . import notices

    return len(notices.send_suspension_notice(suspension_id))


@db_periodic_task(crontab(minute="*/5"))
def release_no_shows() -> int:
    """Release bookings nobody checked into (rule's N minutes, default 15) and count them as no-shows."""
    from .services import release_no_shows as release

    return release()


@db_periodic_task(crontab(hour="3", minute="20"))
def forget_old_purposes() -> int:
    """PDPA retention: clear the free-text purpose of bookings that ended over a year ago."""
    from .pdpa import forget_old_purposes as forget

    return forget()
