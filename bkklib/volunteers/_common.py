"""Helpers shared by the volunteers service modules (services, agreements, shifts, evaluations, welfare)."""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)
