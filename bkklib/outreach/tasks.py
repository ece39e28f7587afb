"""Background work of outreach (huey): plan the trips of the coming months every night; forget old card numbers."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="40"))
def plan_trips_ahead() -> int:
    """Plan (and re-plan against the calendar) the trips of the next 120 days."""
    from datetime import timedelta

    from django.utils import timezone

    from . import services
    from .trips import PLAN_AHEAD_DAYS

    today = timezone.localdate()
    return services.plan_trips(start=today, end=today + timedelta(days=PLAN_AHEAD_DAYS))


@db_periodic_task(crontab(hour="3", minute="40"))
def forget_old_card_numbers() -> int:
    """Clear the card numbers of resolved or applied desk actions older than the retention period (PDPA)."""
    from django.utils import timezone

    from . import pdpa

    return pdpa.forget_old_card_numbers(now=timezone.now())
