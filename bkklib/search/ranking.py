"""Relevance: BM25F over the fields of a bounded set of candidates, the same code for every engine.

Each positive query term (a ``Match``) scores ``t / (K1 + t)`` where ``t`` sums, over the fields
it occurs in, the field weight times its occurrences, damped by the field's length against a
typical length (BM25's length normalisation). Terms are averaged, so a score lies in [0, 1);
a query that is exactly one of the record's titles adds 1 (the exact title comes first), one
that the title starts with adds 0.25.
"""
from __future__ import annotations

import hashlib
import re

from . import text

K1 = 1.2
B = 0.75
# field: (weight, columns, typical length in words)
FIELDS = {
    "title": (10.0, ("title", "title_x"), 8.0),
    "author": (5.0, ("author", "author_x"), 5.0),
    "subject": (3.0, ("subject", "subject_x"), 8.0),
    "rest": (1.0, ("rest", "rest_x", "keys"), 25.0),
}
SCORE_COLUMNS = ("title", "title_x", "author", "author_x", "subject", "subject_x", "rest", "rest_x", "keys")
_TITLE_PARTS = re.compile(r"\s+[/:=;]\s*|\s*\n\s*|\s+\.\s+")
MAX_TITLE_KEYS = 6


def title_key(words: list[str]) -> str | None:
    """Return the identifier key of a title given as its words ("ti" + 16 hex digits)."""
    joined = "".join(words)
    if not joined:
        return None
    return "ti" + hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()


def title_keys(title: str) -> list[str]:
    """Return the exact-title keys of a title field: the whole, its main part, each line."""
    parts = [title]
    pieces = [p for p in _TITLE_PARTS.split(title or "") if p.strip()]
    if pieces:
        parts.append(pieces[0])
    parts.extend(line for line in (title or "").splitlines() if line.strip())
    keys = []
    for part in parts:
        key = title_key(text.words(part))
        if key and key not in keys:
            keys.append(key)
    return keys[:MAX_TITLE_KEYS]


def _occurrences(words: list[str], phrase: tuple[str, ...]) -> int:
    if len(phrase) == 1:
        return words.count(phrase[0])
    n, first = len(phrase), phrase[0]
    return sum(1 for i, w in enumerate(words) if w == first and tuple(words[i:i + n]) == phrase)


def score(columns: dict[str, str], leaves, exact_key: str | None, query_joined: str) -> float:
    """Return the relevance of one document (its stored columns) for the positive ``leaves``."""
    split = {name: value.split() if value else [] for name, value in columns.items()}
    total = 0.0
    for leaf in leaves:
        pseudo = 0.0
        for field, (weight, cols, typical) in FIELDS.items():
            if leaf.field and leaf.field != field and not (leaf.field == "isbn" and field == "rest"):
                continue
            words = split[cols[0]]
            tf = sum(_occurrences(words, alt) for alt in leaf.alternatives)
            for extra in cols[1:]:
                tf += sum(split[extra].count(alt[0]) for alt in leaf.alternatives if len(alt) == 1)
            if tf:
                pseudo += weight * tf / (1 - B + B * max(len(words), 1) / typical)
        total += pseudo / (K1 + pseudo)
    total /= max(len(leaves), 1)
    if exact_key and exact_key in split["keys"]:
        total += 1.0
    elif query_joined and "".join(split["title"]).startswith(query_joined):
        total += 0.25
    return total
