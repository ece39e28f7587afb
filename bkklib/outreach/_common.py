"""Helpers the outreach verbs share: who may act, and the clock."""
from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from bkklib.network import access
from bkklib.network.models import Branch


def _require(by, perm: str, *, at: Branch) -> None:
    """``by`` must hold ``perm`` at ``at``; ``by=None`` is the system itself (demo data, nightly tasks)."""
    if by is not None:
        access.require(by, perm, at=at)


def _now(now: datetime | None) -> tuple[datetime, date]:
    now = now or timezone.now()
    return now, timezone.localdate(now)
