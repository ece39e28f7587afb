"""Personal data of casework: the requester's name and contact (purpose: answering the request).

Kept until two years after the case closed, then cleared by ``forget_old_requesters`` (a periodic huey
task); the case, its category, clocks and rating stay for the statistics. Staff reading an anonymous
requester's identity is logged in ``core.AccessLog`` (``queries.requester_identity``).
"""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Case

RETENTION = timedelta(days=730)


@transaction.atomic
def forget_old_requesters(*, now=None) -> int:
    """Clear the contact details of cases closed over two years ago; return how many."""
    now = now or timezone.now()
    old = Case.objects.filter(closed_at__lt=now - RETENTION).exclude(requester_name="", requester_phone="",
                                                                      requester_email="")
    return old.update(requester_name="", requester_phone="", requester_email="")
