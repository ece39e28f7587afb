"""Background halves of the e-library (huey): hold notices and the periodic end of loans and holds."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def send_hold_ready(hold_id: int) -> int:
    """Tell a reader their e-hold is ready; return the number of attempts made."""
    from . import notices
    from .models import EHold

    hold = EHold.objects.select_related("title", "patron").filter(pk=hold_id, status=EHold.Status.READY).first()
    return len(notices.send_hold_ready(hold)) if hold else 0


@db_periodic_task(crontab(minute="*/5"))
def expire_loans_and_holds() -> dict:
    """End e-loans whose time is up and holds not borrowed within 48 hours; pass copies on (every 5 minutes)."""
    from .services import lending

    return {"loans": lending.expire_loans(), "holds": lending.expire_holds()}


@db_periodic_task(crontab(hour="2", minute="45"))
def anonymise_eloans() -> int:
    """Unlink patrons from e-loans ended more than ANONYMISE_AFTER_DAYS ago (PDPA); the reader key stays."""
    from . import pdpa

    return pdpa.anonymise_loans()
