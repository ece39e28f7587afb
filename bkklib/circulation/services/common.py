"""Helpers shared by the circulation verbs: the clock, audit attribution, permission checks."""
from datetime import date, datetime

from django.utils import timezone

from bkklib.core.history import audit  # noqa: F401 (the verbs import it from here)
from bkklib.network import access


def moment(now: datetime | None) -> tuple[datetime, date]:
    """Return ``now`` (the current time when None) and its local date in Asia/Bangkok."""
    now = now or timezone.now()
    return now, timezone.localdate(now)


def require(staff, perm: str | None, desk, *, on: date | None = None) -> None:
    """Raise NotPermitted unless ``staff`` may exercise ``perm`` at the ``desk`` branch.

    A granted check is remembered on the user object, which lives for one request: the API
    adapter checks the desk, then the verb checks it again without another query.
    """
    key = (perm, getattr(desk, "pk", None), on)
    granted = staff.__dict__.setdefault("_circulation_desk_checks", set()) if staff is not None else set()
    if key in granted:
        return
    access.require(staff, perm, at=desk, on=on)
    granted.add(key)
