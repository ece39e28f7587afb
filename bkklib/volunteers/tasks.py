"""Background jobs of volunteers (huey): PDPA retention of applicants not accepted, resignations that have run."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="3", minute="40"))
def purge_unaccepted() -> int:
    """PDPA retention: delete the personal data of applications not accepted, 180 days after the decision."""
    from .pdpa import purge_unaccepted as purge

    return purge()


@db_periodic_task(crontab(minute="45"))
def end_due_resignations() -> int:
    """End placements whose resignation notice has run and whose handover is done (hourly)."""
    from .services import end_due_resignations as end

    return end()
