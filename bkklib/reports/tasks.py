"""Background work of the reports app (huey): the nightly aggregation of yesterday and the monthly e-mail of
the subscribed reports."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="1", minute="30"))
def aggregate_yesterday() -> int:
    """Store yesterday's figures of every indicator (Bangkok time) and rebuild its month; then render the
    dashboard's first page so the morning's first visitor finds it warm."""
    from django.utils import timezone

    from .dashboard import warm
    from .services import nightly

    rows = nightly().rows
    warm(timezone.localdate())
    return rows


@db_periodic_task(crontab(day="1", hour="7", minute="0"))
def send_monthly_reports() -> int:
    """On the 1st, e-mail each subscriber their reports for the month just ended."""
    from .mailing import send_monthly

    return send_monthly()
