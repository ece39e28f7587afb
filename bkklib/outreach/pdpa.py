"""PDPA hooks of outreach (core/pdpa.py).

Personal data kept here: the card number a volunteer scanned for a loan, in the desk's synced
actions (purpose: to apply the loan and let staff resolve a conflict). The loan itself belongs to
circulation. A patron's export lists these actions; erasure clears the card number and keeps the
action (its kind, time and place are counts). Card numbers of applied or resolved actions are
cleared after RETENTION_DAYS by a nightly task. Volunteer accounts hold the volunteer's name and
phone for the library's contact; they are staff-side records (network.StaffMember).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from .models import SyncAction

RETENTION_DAYS = 90


def export_patron(patron) -> dict:
    rows = SyncAction.objects.filter(card_number=patron.card_number).select_related("branch").order_by("happened_at")
    return {"volunteer_desk_actions": [{
        "kind": row.kind, "happened_at": row.happened_at.isoformat(), "place": row.branch.name_th,
        "item_barcode": row.item_barcode, "status": row.status, "code": row.code,
    } for row in rows]}


def erase_patron(patron, *, now: datetime) -> None:
    if patron.card_number:
        SyncAction.objects.filter(card_number=patron.card_number).update(card_number="")


def forget_old_card_numbers(*, now: datetime) -> int:
    """Clear the card numbers of actions applied or resolved more than RETENTION_DAYS ago."""
    cutoff = now - timedelta(days=RETENTION_DAYS)
    done = Q(status=SyncAction.Status.APPLIED) | Q(resolved_at__isnull=False)
    return SyncAction.objects.filter(done, received_at__lt=cutoff).exclude(card_number="").update(card_number="")
