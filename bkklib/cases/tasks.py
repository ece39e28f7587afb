"""Background halves of casework (huey): messages after commit, deadline alerts every 10 minutes,
and the PDPA retention of requesters' contact details."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=2, retry_delay=60)
def send_case_notice(case_id: int, kind: str) -> int:
    from . import notices

    return len(notices.send_case_notice(case_id, kind))


@db_task(retries=2, retry_delay=60)
def send_alert(alert_id: int) -> int:
    from . import notices

    return len(notices.send_alert(alert_id))


@db_periodic_task(crontab(minute="*/10"))
def send_deadline_alerts() -> int:
    """Reminders before a deadline and escalation to the unit head at breach; each is sent once."""
    from .services import send_alerts

    return send_alerts()


@db_periodic_task(crontab(hour="3", minute="40"))
def forget_old_requesters() -> int:
    """PDPA retention: clear the requester's contact details two years after a case closed."""
    from .pdpa import forget_old_requesters as forget

    return forget()
