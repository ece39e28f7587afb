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


def title_keys(title: str) -> tuple[list[str], list[list[str]]]:
    """Return the exact-title keys of a title field (the whole, each line, their main parts).

    Also return the field's words grouped in runs (what the title column is built from): the
    pieces are segmented once. Separators hold no letters, so no Thai run crosses them.
    """
    keys: list[str] = []
    all_runs: list[list[str]] = []
    whole: list[str] = []
    lines = [line for line in (title or "").split("\n") if line.strip()]
    for line in lines:
        line_words: list[str] = []
        first: list[str] | None = None
        for piece in _TITLE_PARTS.split(line):
            piece_runs = text.runs(text.normalise(piece))
            all_runs.extend(piece_runs)
            piece_words = [w for run in piece_runs for w in run]
            if first is None and piece_words:
                first = piece_words
            line_words.extend(piece_words)
        whole.extend(line_words)
        for words in (line_words, first):
            key = title_key(words or [])
            if key and key not in keys:
                keys.append(key)
    key = title_key(whole)
    if key and key not in keys:
        keys.insert(0, key)
    return keys[:MAX_TITLE_KEYS], all_runs


ALL_COLUMNS = ("title", "title_x", "author", "author_x", "subject", "subject_x", "rest", "rest_x", "keys")
_FIELD_COLUMNS = {"title": ("title", "title_x"), "author": ("author", "author_x"),
                  "subject": ("subject", "subject_x"), "isbn": ("keys",)}


def padded(columns: dict[str, str]) -> dict[str, str]:
    """Return the stored columns with a space on each side: a word or phrase occurs in a column
    exactly when " word " / " w1 w2 " is a substring of it (words never contain spaces)."""
    return {name: f" {value} " if value else " " for name, value in columns.items()}


def patterns(leaf) -> tuple[str, ...]:
    """Return the padded-substring forms of a Match's alternatives."""
    return tuple(" " + " ".join(alt) + " " for alt in leaf.alternatives)


def matches(node, pad: dict[str, str]) -> bool:
    """Return True when a document (its padded columns) matches ``node`` — the engines' semantics."""
    from .query import And, Match, Not, Or

    if isinstance(node, Match):
        cols = _FIELD_COLUMNS[node.field] if node.field else ALL_COLUMNS
        return any(p in pad[c] for c in cols for p in patterns(node))
    if isinstance(node, And):
        return all(not matches(c.child, pad) if isinstance(c, Not) else matches(c, pad) for c in node.children)
    if isinstance(node, Or):
        return any(matches(c, pad) for c in node.children)
    if isinstance(node, Not):
        return not matches(node.child, pad)
    return True  # None: every document


def _plan(leaves):
    """Precompute, per positive term, its padded forms and the fields it may score in."""
    index = {name: i for i, name in enumerate(SCORE_COLUMNS)}
    plan = []
    for leaf in leaves:
        fields = []
        for field, (weight, cols, typical) in FIELDS.items():
            if leaf.field and leaf.field != field and not (leaf.field == "isbn" and field == "rest"):
                continue
            fields.append((weight, tuple(index[c] for c in cols), typical))
        plan.append((patterns(leaf), fields))
    return plan


def score_rows(rows, leaves, exact_key: str | None, query_joined: str) -> list[tuple[int, float]]:
    """Return ``(id, score)`` for rows ``(id, *SCORE_COLUMNS)``: BM25F over the fields, see above."""
    plan = _plan(leaves)
    n_leaves = max(len(leaves), 1)
    exact = f" {exact_key} " if exact_key else None
    keys_at = SCORE_COLUMNS.index("keys") + 1
    out = []
    for row in rows:
        pad = [f" {v} " if v else " " for v in row[1:]]
        total = 0.0
        for forms, fields in plan:
            pseudo = 0.0
            for weight, cols, typical in fields:
                tf = 0
                for c in cols:
                    text_c = pad[c]
                    for form in forms:
                        if form in text_c:
                            tf += text_c.count(form)
                if tf:
                    length = pad[cols[0]].count(" ") - 1
                    pseudo += weight * tf / (1 - B + B * max(length, 1) / typical)
            total += pseudo / (K1 + pseudo)
        total /= n_leaves
        if exact and exact in f" {row[keys_at]} ":
            total += 1.0
        elif query_joined and pad[0].replace(" ", "").startswith(query_joined):
            total += 0.25
        out.append((row[0], total))
    return out


def score(columns: dict[str, str], leaves, exact_key: str | None, query_joined: str) -> float:
    """Return the relevance of one document given its stored columns by name."""
    row = (0, *(columns.get(c, "") for c in SCORE_COLUMNS))
    return score_rows([row], leaves, exact_key, query_joined)[0][1]
