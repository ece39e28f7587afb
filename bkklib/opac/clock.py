"""The public website's clock: one function, so tests can fix "now" ("open now" on a fixed clock).

Browser tests run the site in a thread of the test process and replace ``now`` with
``monkeypatch.setattr(clock, "now", ...)``; everything time-dependent on public pages asks here.
"""
from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """Return the current moment (aware, UTC)."""
    return timezone.now()
