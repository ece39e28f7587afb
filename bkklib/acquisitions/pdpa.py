"""PDPA hooks of acquisitions (core/pdpa.py): a patron's purchase suggestions in their export; erasure
and retention.

Purpose: to consider a reader's suggestion and tell them what became of it. Erasure unlinks the
suggestions from the patron (the titles stay, as counts of demand); closed suggestions are unlinked
RETENTION_DAYS after their decision. Donors' contact details are cleared DONOR_RETENTION_DAYS after
the donation (the donor's name stays on the record of what was given and acknowledged).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Donation, Request

RETENTION_DAYS = 365
DONOR_RETENTION_DAYS = 730
CLOSED = (Request.Status.ON_SHELF, Request.Status.DECLINED)


def export_patron(patron) -> dict:
    """Return ``patron``'s purchase suggestions for their data export."""
    return {"purchase_suggestions": [{
        "title": r.title, "author": r.author, "isbn": r.isbn, "note": r.note, "branch": r.branch.code,
        "status": r.status, "decline_reason": r.decline_reason, "created_at": r.created_at.isoformat(),
    } for r in Request.objects.filter(patron=patron).select_related("branch").order_by("created_at")]}


def erase_patron(patron, *, now: datetime) -> None:
    """Unlink ``patron``'s suggestions and clear their notes; the titles stay as counts of demand."""
    Request.objects.filter(patron=patron).update(patron=None, note="")


def forget_old(now: datetime | None = None) -> int:
    """Unlink closed suggestions decided over RETENTION_DAYS ago and clear old donors' contacts."""
    now = now or timezone.now()
    requests = (Request.objects.filter(status__in=CLOSED, patron__isnull=False)
                .filter(Q(decided_at__lt=now - timedelta(days=RETENTION_DAYS))
                        | Q(decided_at__isnull=True, updated_at__lt=now - timedelta(days=RETENTION_DAYS)))
                .update(patron=None, note=""))
    donors = (Donation.objects.filter(received_on__lt=(now - timedelta(days=DONOR_RETENTION_DAYS)).date())
              .exclude(donor_contact="").update(donor_contact=""))
    return requests + donors
