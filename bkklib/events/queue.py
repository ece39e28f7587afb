"""A capacity-limited queue with a waiting list that promotes in order (reusable: volunteer shifts).

A *holder* row (an activity session, later a volunteer shift) has a capacity and a counter of
arrivals; *entries* (registrations, sign-ups) point to it and carry a status (admitted, waiting or
cancelled) and a ``position``: the order of arrival, unique per holder and never reused.

Every change happens inside one transaction holding a row lock (``SELECT … FOR UPDATE``) on the
holder, so on PostgreSQL simultaneous joins are serialised: the first ``capacity`` arrivals are
admitted and the rest wait, in arrival order, and none is lost. ``leave`` frees a place and
promotes the waiting entries with the lowest positions until the holder is full again.

The queue knows nothing of sessions or patrons: a ``Spec`` names the models and fields.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction


@dataclass(frozen=True)
class Spec:
    """How a queue maps onto two models."""

    holder: type[models.Model]
    entry: type[models.Model]
    holder_field: str  # the entry's foreign key to the holder
    capacity_of: Callable[[models.Model], int | None]  # None: no limit
    admitted: str = "registered"
    waiting: str = "waitlisted"
    cancelled: str = "cancelled"
    counter_field: str = "next_position"  # the holder's next arrival number
    promoted_at_field: str = "promoted_at"
    cancelled_at_field: str = "cancelled_at"


def lock(spec: Spec, holder_pk) -> models.Model:
    """Lock and return the holder row (call inside a transaction)."""
    return spec.holder.objects.select_for_update().get(pk=holder_pk)


def admitted_count(spec: Spec, holder) -> int:
    return spec.entry.objects.filter(**{spec.holder_field: holder, "status": spec.admitted}).count()


def take_position(spec: Spec, holder) -> int:
    """Return the next arrival number of the (locked) holder and move its counter on."""
    position = getattr(holder, spec.counter_field)
    setattr(holder, spec.counter_field, position + 1)
    # One UPDATE, no save signals (audit history would copy the whole row on every arrival).
    type(holder).objects.filter(pk=holder.pk).update(**{spec.counter_field: position + 1})
    return position


def place_for(spec: Spec, holder, *, waitlist: bool) -> str | None:
    """Return the status a new arrival gets now: admitted, waiting, or None (full, no waiting list)."""
    capacity = spec.capacity_of(holder)
    if capacity is None or admitted_count(spec, holder) < capacity:
        return spec.admitted
    return spec.waiting if waitlist else None


def leave(spec: Spec, entry, *, now: datetime) -> list:
    """Cancel ``entry`` (its holder locked by the caller) and return the entries promoted in its place."""
    was_admitted = entry.status == spec.admitted
    entry.status = spec.cancelled
    setattr(entry, spec.cancelled_at_field, now)
    entry.save()
    if not was_admitted:
        return []
    holder = getattr(entry, spec.holder_field)
    return promote(spec, holder, now=now)


def promote(spec: Spec, holder, *, now: datetime) -> list:
    """Admit waiting entries of the (locked) holder, lowest position first, while places are free."""
    capacity = spec.capacity_of(holder)
    free = None if capacity is None else capacity - admitted_count(spec, holder)
    waiting = spec.entry.objects.filter(**{spec.holder_field: holder, "status": spec.waiting}).order_by("position")
    if free is not None:
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = []
    for entry in waiting:
        entry.status = spec.admitted
        setattr(entry, spec.promoted_at_field, now)
        entry.save()
        promoted.append(entry)
    return promoted


def atomic_locked(spec: Spec, holder_pk, function: Callable):
    """Run ``function(holder)`` in one transaction with the holder locked; return its result."""
    with transaction.atomic():
        return function(lock(spec, holder_pk))
