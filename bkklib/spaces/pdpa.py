"""PDPA hooks of spaces (core/pdpa.py): a patron's bookings in their export; erasure and retention.

Purpose of the data: to hold a space for the patron and to count how spaces are used. Erasure
cancels the patron's future bookings and clears the free text they wrote; the bookings stay,
linked to the erased (anonymous) patron row, so use figures keep their counts.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from bkklib.core.history import audit

from .models import ACTIVE_STATUSES, Booking, BookingSuspension

RETENTION_DAYS = 365


def export_patron(patron) -> dict:
    """Return ``patron``'s bookings and suspensions for their data export."""
    bookings = Booking.objects.filter(patron=patron).select_related("space", "branch").order_by("starts_at")
    return {
        "bookings": [{
            "code": b.code, "space": b.space.name_th, "branch": b.branch.code, "starts_at": b.starts_at.isoformat(),
            "ends_at": b.ends_at.isoformat(), "people": b.people, "purpose": b.purpose, "status": b.status,
            "checked_in_at": b.checked_in_at.isoformat() if b.checked_in_at else None,
        } for b in bookings],
        "suspensions": [{"from": s.starts_on.isoformat(), "until": s.ends_on.isoformat(), "reason": s.reason}
                        for s in BookingSuspension.objects.filter(patron=patron)],
    }


def erase_patron(patron, *, now: datetime) -> None:
    """Cancel ``patron``'s future bookings and clear what they wrote; keep the bookings as counts."""
    for booking in Booking.objects.filter(patron=patron, status__in=ACTIVE_STATUSES, starts_at__gt=now):
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = "PDPA erasure"
        audit(booking, None, "PDPA erasure").save()
    Booking.objects.filter(patron=patron).exclude(purpose="").update(purpose="")
    BookingSuspension.objects.filter(patron=patron).update(reason="")


def forget_old_purposes(now: datetime | None = None) -> int:
    """Clear the purpose text of bookings that ended more than RETENTION_DAYS ago; return how many."""
    now = now or timezone.now()
    return Booking.objects.filter(ends_at__lt=now - timedelta(days=RETENTION_DAYS)).exclude(purpose="").update(
        purpose="")
