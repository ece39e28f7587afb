"""Pure decisions about the organisation structure: comparing two versions."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitSnapshot:
    """What a unit looks like in one structure version (compared by ``code``)."""

    code: str
    name: str
    kind: str
    parent: str | None
    branches: frozenset[str] = frozenset()
    parent_name: str = ""  # what people read; ``parent`` (a code) is what is compared


ADDED = "added"
REMOVED = "removed"
RENAMED = "renamed"
MOVED = "moved"
BRANCHES_CHANGED = "branches_changed"


@dataclass(frozen=True)
class UnitDiff:
    """One row of a side-by-side comparison: the unit before and after, and what changed."""

    code: str
    before: UnitSnapshot | None
    after: UnitSnapshot | None
    changes: tuple[str, ...]
    branches_in: frozenset[str] = frozenset()
    branches_out: frozenset[str] = frozenset()


def compare_structures(before: dict[str, UnitSnapshot], after: dict[str, UnitSnapshot]) -> list[UnitDiff]:
    """Compare two structure versions unit by unit (by code), in a stable order."""
    rows = []
    for code in sorted(set(before) | set(after)):
        a, b = before.get(code), after.get(code)
        if a is None:
            rows.append(UnitDiff(code, None, b, (ADDED,), branches_in=b.branches))
            continue
        if b is None:
            rows.append(UnitDiff(code, a, None, (REMOVED,), branches_out=a.branches))
            continue
        changes = []
        if a.name != b.name:
            changes.append(RENAMED)
        if a.parent != b.parent:
            changes.append(MOVED)
        if a.branches != b.branches:
            changes.append(BRANCHES_CHANGED)
        rows.append(UnitDiff(code, a, b, tuple(changes), branches_in=b.branches - a.branches,
                             branches_out=a.branches - b.branches))
    return rows
