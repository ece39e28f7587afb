"""PDPA hooks of the events app (core/pdpa.py): a patron's registrations in their export; erasure.

Guests (no card) are covered by the retention task (``services.retention``): their name and phone
are removed a set time after the session.
"""
from __future__ import annotations

from django.utils import timezone

from .models import Registration


def export_patron(patron) -> dict:
    """The patron's activity registrations, for the PDPA export."""
    rows = (Registration.objects.filter(patron=patron).select_related("session__activity__branch")
            .order_by("session__starts_at"))
    return {"registrations": [{
        "activity": r.session.activity.title, "place": r.session.activity.where,
        "starts_at": timezone.localtime(r.session.starts_at).isoformat(), "status": r.status,
        "age_group": r.age_group, "gender": r.gender, "registered_at": r.registered_at.isoformat(),
        "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
        "wants_certificate": r.wants_certificate,
    } for r in rows]}


def erase_patron(patron, *, now) -> None:
    """Cancel the patron's registrations of sessions to come (the waiting list moves up); past ones stay
    as facts (age group, gender, attendance) tied to the anonymous patron row."""
    from . import services

    upcoming = Registration.objects.live().filter(patron=patron, session__starts_at__gt=now)
    for registration in upcoming:
        services.cancel(registration=registration, now=now)
