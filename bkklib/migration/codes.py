"""A source system's codes and columns, resolved: plain data with no ORM, so that the MARC import's helper
processes (which do not set Django up) can unpickle the holdings rewrite that carries it (holdings.py)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mapping:
    """A source system's codes and columns resolved against this database's branches, types and categories."""

    source: str
    branches: dict[str, str] = field(default_factory=dict)  # lower-case source code -> bkklib branch code
    default_branch: str = ""
    item_types: dict[str, str] = field(default_factory=dict)  # lower-case source code -> bkklib item type
    patron_categories: dict[str, str] = field(default_factory=dict)
    default_category: str = ""
    item_tag: str = "945"
    patron_columns: dict[str, list[str]] = field(default_factory=dict)
    loan_columns: dict[str, list[str]] = field(default_factory=dict)
    known_branches: dict[str, str] = field(default_factory=dict)  # lower-case bkklib code -> code
    category_codes: frozenset[str] = frozenset()  # the bkklib patron categories

    def branch(self, code: str) -> str | None:
        """Return the bkklib branch code for a source branch ``code`` (the default for none), or None."""
        code = (code or "").strip()
        if not code:
            return self.default_branch or None
        mapped = self.branches.get(code.lower())
        if mapped:
            return mapped
        return self.known_branches.get(code.lower())

    def item_type(self, code: str) -> str:
        code = (code or "").strip()
        return self.item_types.get(code.lower(), code)

    def category(self, code: str) -> str | None:
        code = (code or "").strip()
        if not code:
            return self.default_category or None
        return self.patron_categories.get(code.lower()) or (code.lower() if code.lower() in self.category_codes
                                                             else None)
