"""Volunteers on duty for network's staff coverage roster (network/coverage_providers.py)."""
from __future__ import annotations

from datetime import date

from . import queries


def on_duty(start: date, end: date, branch_ids=None) -> dict[tuple[int, date], set[str]]:
    """Volunteers signed up for shifts in roles that count in coverage, per (branch id, day)."""
    return queries.coverage_counts(start, end, branch_ids)
