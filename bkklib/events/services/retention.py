"""PDPA retention of guests' data: names and phones are removed a set time after the session."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from ..models import Registration


def retention_days() -> int:
    return int(getattr(settings, "BKKLIB_EVENTS_GUEST_RETENTION_DAYS", 90))


@transaction.atomic
def anonymise_old_guests(*, now: datetime) -> int:
    """Empty the name and phone of guest registrations whose session ended more than the retention period ago.

    The registration row stays (age group, gender, attendance count in the reports); return how many
    were anonymised. Patrons' registrations follow the patron (circulation's erasure).
    """
    cutoff = now - timedelta(days=retention_days())
    rows = Registration.objects.filter(patron__isnull=True, anonymised_at__isnull=True, session__ends_at__lt=cutoff)
    return rows.update(guest_name="", guest_phone="", anonymised_at=now)
