"""People on duty besides staff, reported to the coverage roster by higher apps (allowed exception, issue 24).

network may not import the apps above it, so each app that puts people on duty at a branch declares, in
its own ``coverage`` module, ``on_duty(start, end, branch_ids) -> {(branch id, day): {person key, ...}}``.
Keys are strings such as ``"volunteer:12"``, so they never collide with staff ids; the roster counts
them towards a branch-day's minimum, and they are never proposed for secondment (only staff with a home
post are). The volunteers app reports shifts in roles the division lets count (``Role.counts_in_coverage``).
"""
from __future__ import annotations

from datetime import date

from django.apps import apps
from django.utils.module_loading import import_string


def on_duty(start: date, end: date, branch_ids=None) -> dict[tuple[int, date], set]:
    """Merge every installed app's ``coverage.on_duty`` for ``start``..``end`` (optionally some branches)."""
    merged: dict[tuple[int, date], set] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib.") or config.label == "network":
            continue
        try:
            provider = import_string(f"{config.name}.coverage.on_duty")
        except ImportError:
            continue
        for key, people in provider(start, end, branch_ids).items():
            merged.setdefault(key, set()).update(people)
    return merged
