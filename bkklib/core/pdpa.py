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


def _hooks(name: str):
    """Yield (app label, function) for each app whose ``pdpa`` module defines ``name``, in app order."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            yield config.label, import_string(f"{config.name}.pdpa.{name}")
        except ImportError:
            continue


def export_contributions(kind: str, person: models.Model) -> dict:
    """Return what other apps hold about ``person``, by app label (PDPA right of access).

    The app that owns the person (circulation for patrons) builds the export and calls this; each
    higher app that keeps data about such a person defines ``export_<kind>(person) -> dict`` in its
    ``pdpa`` module (e-loans, bookings, registrations), so the owner never imports it.
    """
    return {label: function(person) for label, function in _hooks(f"export_{kind}")}


def erase_contributions(kind: str, person: models.Model, *, now) -> None:
    """Let every app erase (or refuse, raising a DomainError) its data about ``person``.

    Called by the owning app inside its erasure transaction, before the person becomes a tombstone;
    each app defines ``erase_<kind>(person, *, now)`` in its ``pdpa`` module.
    """
    for _label, function in _hooks(f"erase_{kind}"):
        function(person, now=now)
