"""PDPA: the one record of staff looking at a person's personal data (patrons, staff, later volunteers).

Every page and API answer that shows personal data calls ``log_access`` with the object whose data
it shows; the subject is ``"<app_label>.<model>:<pk>"``, so erasure and reports find every access to
one person whatever app keeps them.
"""
from django.db import models

from .models import AccessLog


def subject_of(person: models.Model) -> str:
    """Return the access-log subject of ``person``: ``"circulation.patron:42"``."""
    return f"{person._meta.label_lower}:{person.pk}"


def log_access(user, person: models.Model, *, action: str = "view", path: str = "", purpose: str = "") -> AccessLog:
    """Record that staff ``user`` looked at (or exported, erased...) ``person``'s personal data."""
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None, subject=subject_of(person),
        action=action[:32], path=(path or "")[:300], purpose=str(purpose or "")[:200],
    )
