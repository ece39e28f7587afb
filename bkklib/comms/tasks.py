"""Background halves of comms (huey): publish due posts every minute, fetch reach every night."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def publish_due() -> dict:
    """Publish the approved posts whose time has come (each channel on its own, retried with backoff)."""
    from .services import publish_due as publish

    return publish()


@db_periodic_task(crontab(hour="4", minute="10"))
def import_reach() -> int:
    """Fetch reactions, shares, clicks and reach of the last 60 days' posts from the channels' APIs."""
    from datetime import timedelta

    from django.utils import timezone

    from .services import import_reach as fetch

    done, _errors = fetch(since=timezone.now() - timedelta(days=60))
    return done
