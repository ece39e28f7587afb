"""Background halves of circulation (huey): notices, hold-shelf expiry and PDPA anonymisation.

Tasks take ids or dates, never model instances. The periodic ones run daily in the consumer that
``make run`` starts (and under systemd in production, docs/admin/circulation.md).
"""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def send_hold_ready_notice(hold_id: int) -> int | None:
    """Tell a patron their hold is on the shelf; return the notice id (None when already sent)."""
    from . import notices

    notice = notices.send_hold_ready_notice(hold_id)
    return notice.pk if notice else None


@db_periodic_task(crontab(hour="7", minute="0"))
def daily_notices() -> dict:
    """Send the day's pre-due, overdue, hold-expiring and card-expiring notices (07:00 Bangkok)."""
    from . import notices

    return notices.send_daily_notices()


@db_periodic_task(crontab(hour="0", minute="15"))
def expire_hold_shelf() -> int:
    """Expire holds not collected in time and pass their items on (00:15, before the desks open)."""
    from .services import holds

    return holds.expire_holds()


@db_periodic_task(crontab(hour="2", minute="30"))
def anonymise_loan_history() -> int:
    """Unlink patrons from loans returned more than ANONYMISE_AFTER_DAYS ago (PDPA)."""
    from .services import pdpa

    return pdpa.anonymise_loans()
