"""Facts about one branch, contributed by every app that knows something about it.

Two documents print the same facts: the field-visit briefing pack (cases app, issue 26) and the branch
fact sheet of the reports app (issue 29). Neither reaches into other apps' tables: each app that knows
something about a branch declares, in its ``branchfacts`` module, ``SECTIONS``: a list of dotted paths
of functions ``(branch, *, today: date) -> Section | None`` (None: nothing to say about this branch).
``sections(branch, today=...)`` calls them in ``INSTALLED_APPS`` order (network first: basic data,
hours, staff), then each section's ``order``.

A section is either a list of labelled facts (``facts``) or a small table (``columns`` + ``rows``), or
both; ``as_of`` says how fresh the data is (a branch record verified last March is shown as such), so
a reader of a printed pack can tell stale figures from live ones. Values are already formatted for
people (Thai digits are not used; numbers with thousands separators, dates in BE) so the page and the
PDF print the same text.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    note: str = ""  # e.g. "ข้อมูล ณ 8 มิ.ย. 2565" or "เกินกำหนด 3 รายการ"
    warning: bool = False  # shown highlighted: stale data, an overdue item


@dataclass(frozen=True)
class Section:
    key: str  # "<app_label>.<name>", stable (anchors, tests)
    title: str
    facts: Sequence[Fact] = ()
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()
    as_of: date | datetime | None = None
    order: int = 100  # within the app's sections
    app: str = field(default="", compare=False)
    empty_text: str = ""  # shown when there are no facts and no rows ("ไม่มีเรื่องค้าง")


def providers() -> list[tuple[str, Callable]]:
    """Return ``(app_label, function)`` for every declared section function, in app order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            declared = import_string(f"{config.name}.branchfacts.SECTIONS")
        except ImportError:
            continue
        for path in declared:
            found.append((config.label, import_string(path) if isinstance(path, str) else path))
    return found


def sections(branch, *, today: date, only: Sequence[str] = ()) -> list[Section]:
    """Return every app's sections about ``branch`` on ``today`` (``only``: keep these app labels)."""
    collected: list[tuple[int, Section]] = []
    app_position: dict[str, int] = {}
    for label, function in providers():
        if only and label not in only:
            continue
        section = function(branch, today=today)
        if section is None:
            continue
        position = app_position.setdefault(label, len(app_position))
        collected.append((position, Section(**{**section.__dict__, "app": label})))
    collected.sort(key=lambda pair: (pair[0], pair[1].order))  # stable: declaration order breaks ties
    return [section for _, section in collected]
