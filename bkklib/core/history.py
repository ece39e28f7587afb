"""The audit history (django-simple-history) as every app writes and shows it.

Writing: ``audit(instance, user, reason)`` before a ``save()``/``delete()`` names who made the change
and why; a row stored without history (bulk imports, demo data) first gets a baseline row of its
stored state, so the first edit shows what it changed. Showing: ``changes(row)`` lists what one
history row changed against the one before it, for people: field names as the model names them,
choices by their label, referenced rows by name (a user by full name), dates in the Buddhist Era.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from bkklib.core import calendar

# Bookkeeping columns no person needs to see in a history.
HIDDEN_FIELDS = frozenset({"created_at", "updated_at"})


def audit(instance, user, reason: str = ""):
    """Tell django-simple-history who makes the next change of ``instance`` and why; return it.

    A stored row without any history row gets its baseline first (see ``ensure_baseline``).
    """
    ensure_baseline(instance)
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    if reason:
        instance._change_reason = str(reason)[:100]
    return instance


def ensure_baseline(instance) -> None:
    """Record the stored state of ``instance`` as its first history row when it has none yet.

    Rows made in bulk (MARC imports, branch imports) carry no history row; without one, the first
    edit would have nothing to compare with and its history would show no change.
    """
    manager = getattr(type(instance), "history", None)
    if manager is None or instance.pk is None or instance._state.adding:
        return
    if manager.filter(**{type(instance)._meta.pk.attname: instance.pk}).exists():
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    manager.bulk_history_create(
        [stored], default_date=getattr(stored, "created_at", None),
        default_change_reason=_("as first stored (no earlier history)"),
    )
    # The author is whoever stored the row (if known), not the person about to edit it.
    manager.filter(**{type(instance)._meta.pk.attname: instance.pk}).update(
        history_user=getattr(stored, "created_by", None))


def user_name(user) -> str:
    """A person's name as the history shows it: full name, else the user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _language() -> str:
    return translation.get_language() or "th"


def display(field: models.Field, value, *, cache: dict | None = None) -> str:
    """Return ``value`` of model field ``field`` as a person reads it ("" for nothing)."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if field.is_relation and field.many_to_one:
        return _related_name(field.related_model, value, cache if cache is not None else {})
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return calendar.thai_datetime(value, lang=_language())
    if isinstance(value, date):
        return calendar.thai_date(value, lang=_language())
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(display_plain(v) for v in value)
    return str(value)


def display_plain(value) -> str:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    return str(value)


def _related_name(model, pk, cache: dict) -> str:
    key = (model._meta.label, pk)
    if key not in cache:
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            cache[key] = _("(deleted, no. {id})").format(id=pk)
        elif model is get_user_model():
            cache[key] = user_name(obj)
        else:
            cache[key] = str(obj)
    return cache[key]


@dataclass(frozen=True)
class Change:
    """One field of one history row: its label and the old and new value, as people read them."""

    field: str
    label: str
    old: str
    new: str


def changes(row, previous=None, *, hidden=(), cache: dict | None = None) -> list[Change]:
    """Return what history ``row`` changed against ``previous`` (its predecessor by default).

    A row without a predecessor (the creation) returns []. Fields in ``hidden`` (and the
    bookkeeping timestamps) are left out; so are changes that read the same to people.
    """
    previous = previous if previous is not None else row.prev_record
    if previous is None:
        return []
    cache = cache if cache is not None else {}
    model = row.instance_type
    skip = HIDDEN_FIELDS | set(hidden)
    found = []
    for change in row.diff_against(previous, excluded_fields=skip).changes:
        field = model._meta.get_field(change.field)
        old, new = display(field, change.old, cache=cache), display(field, change.new, cache=cache)
        if old != new:
            found.append(Change(change.field, str(field.verbose_name), old, new))
    return found
