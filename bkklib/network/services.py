"""The network app's verbs: load holidays, add closures, verify branch data."""
import json
from datetime import date
from pathlib import Path

from django.db import transaction

from . import signals
from .models import Branch, Closure

HOLIDAYS_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "thai_holidays.json"


@transaction.atomic
def add_closure(*, branch: Branch | None, starts_on: date, ends_on: date, reason_th: str, reason_en: str = "",
                kind: str = Closure.Kind.BRANCH) -> Closure:
    """Close ``branch`` (the whole network when None) from ``starts_on`` to ``ends_on``.

    Sends ``closure_added`` after commit so that circulation can move due dates.
    """
    closure = Closure(branch=branch, starts_on=starts_on, ends_on=ends_on, reason_th=reason_th,
                      reason_en=reason_en, kind=kind)
    closure.full_clean()
    closure.save()
    transaction.on_commit(lambda: signals.closure_added.send(
        sender=Closure, closure=closure, branch=branch, starts_on=starts_on, ends_on=ends_on))
    return closure


@transaction.atomic
def load_holidays(*, years: list[int] | None = None, path: Path | None = None,
                  categories: tuple[str, ...] = ("public",)) -> int:
    """Load Thai public holidays as network-wide closures for the given CE years; return how many were added.

    Idempotent: a holiday already present (same day, network-wide, same Thai name) is skipped.
    """
    rows = json.loads((path or HOLIDAYS_FIXTURE).read_text(encoding="utf-8"))["holidays"]
    added = 0
    for row in rows:
        day = date.fromisoformat(row["date"])
        if years and day.year not in years:
            continue
        if row.get("category", "public") not in categories:
            continue
        exists = Closure.objects.filter(branch__isnull=True, starts_on=day, reason_th=row["name_th"]).exists()
        if exists:
            continue
        add_closure(branch=None, starts_on=day, ends_on=day, reason_th=row["name_th"],
                    reason_en=row.get("name_en", ""), kind=Closure.Kind.PUBLIC_HOLIDAY)
        added += 1
    return added
