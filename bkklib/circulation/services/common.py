"""Helpers shared by the circulation verbs: the clock, audit attribution, permission checks."""
from datetime import date, datetime

from django.utils import timezone

from bkklib.network import access


def moment(now: datetime | None) -> tuple[datetime, date]:
    """Return ``now`` (the current time when None) and its local date in Asia/Bangkok."""
    now = now or timezone.now()
    return now, timezone.localdate(now)


def audit(instance, user, reason: str = ""):
    """Tell django-simple-history who made the change and why."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    if reason:
        instance._change_reason = str(reason)[:100]
    return instance


def require(staff, perm: str, desk, *, on: date | None = None) -> None:
    """Raise NotPermitted unless ``staff`` may exercise ``perm`` at the ``desk`` branch."""
    access.require(staff, perm, at=desk, on=on)
