"""Did-you-mean: the nearest words of the index vocabulary to the words of a query that found nothing.

The vocabulary (``SearchTerm``) gains every word of titles, authors, subjects and series as they
are indexed. A query word that is not in it is compared, by edit distance, with the vocabulary
words of about the same length that start with the same letter or end with the same letter
(a typo rarely hits both ends; both look-ups use an index); Thai and English alike. A suggestion is offered only when the
corrected query finds something.
"""
from __future__ import annotations

from django.db import transaction
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from . import query, text

MAX_CANDIDATES = 4000
MAX_SUGGESTIONS = 3


# Words this process has written to the vocabulary in committed transactions: skipped next time
# (most words of a batch are old ones). Only committed words count, so a rolled-back batch
# leaves nothing believed written.
_KNOWN: set[str] = set()
_KNOWN_LIMIT = 1_000_000


def _remember(words: list[str]) -> None:
    if len(_KNOWN) > _KNOWN_LIMIT:
        _KNOWN.clear()
    _KNOWN.update(words)


def add_terms(conn, words) -> None:
    """Add ``words`` to the vocabulary (inside the caller's transaction)."""
    rows = [(w, w[0], w[-1], len(w)) for w in set(words) - _KNOWN if 1 < len(w) <= 40 and not w.isdigit()]
    if rows:
        written = [r[0] for r in rows]
        transaction.on_commit(lambda: _remember(written), using=conn.alias)
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO search_searchterm (term, head, tail, length) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (term) DO NOTHING",
                rows,
            )


def forget_known() -> None:
    """Forget which words were written (after the vocabulary table was emptied)."""
    _KNOWN.clear()


def distance(a: str, b: str, limit: int) -> int:
    """Return the Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``
    (the reference the compiled one in ``nearest`` is tested against)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _allowed(word: str) -> int:
    return 1 if len(word) <= 4 else 2 if len(word) <= 8 else 3


def nearest(conn, word: str) -> list[str]:
    """Return vocabulary words nearest to ``word`` (closest first), or [] if none is close."""
    limit = _allowed(word)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT term FROM search_searchterm WHERE head = %s AND length BETWEEN %s AND %s LIMIT %s",
            [word[0], len(word) - limit, len(word) + limit, MAX_CANDIDATES],
        )
        terms = {r[0] for r in cur.fetchall()}
        cur.execute(
            "SELECT term FROM search_searchterm WHERE tail = %s AND length BETWEEN %s AND %s LIMIT %s",
            [word[-1], len(word) - limit, len(word) + limit, MAX_CANDIDATES],
        )
        terms.update(r[0] for r in cur.fetchall())
    terms.discard(word)
    # Edit distances in compiled code (rapidfuzz): up to 8,000 candidates a word, 300 ms in Python at 1M records.
    found = process.extract(word, list(terms), scorer=Levenshtein.distance, score_cutoff=limit, limit=None)
    scored = sorted((d, abs(len(t) - len(word)), t) for t, d, _index in found)
    return [t for _, _, t in scored[:5]]


def _known(conn, words: list[str]) -> set[str]:
    if not words:
        return set()
    with conn.cursor() as cur:
        placeholders = ", ".join("%s" for _ in words)
        cur.execute(f"SELECT term FROM search_searchterm WHERE term IN ({placeholders})", words)
        return {r[0] for r in cur.fetchall()}


def _units(node) -> list[list[str]]:
    """Return, per positive query term, the spellings to check: a Thai run whole first, then its words."""
    units = []
    for leaf in query.matches(node):
        first = leaf.alternatives[0]
        if len(first) == 1 and first[0].startswith("isbn") and any(c.isdigit() for c in first[0]):
            continue
        if len(leaf.alternatives) > 1:  # a Thai run: (whole,), (words...)
            units.append([first[0], *leaf.alternatives[-1]])
        else:
            units.extend([w] for w in first)
    return [u for u in units if len(u[0]) > 1 and not u[0].isdigit()]


def suggestions(backend, node, raw_query: str) -> list[str]:
    """Return up to three corrected queries that find something, for a query that found nothing."""
    conn = backend.conn
    units = _units(node)
    if not units:
        return []
    known = _known(conn, [w for unit in units for w in unit])
    options: list[list[str]] = []
    changed = False
    for unit in units:
        whole = unit[0]
        if whole in known or (len(unit) > 1 and all(w in known for w in unit[1:])):
            options.append([whole])
            continue
        near = nearest(conn, whole)
        if not near and len(unit) > 1:
            # A long Thai run: correct each of its words that the vocabulary does not know.
            parts = [w if w in known or len(w) < 2 else (nearest(conn, w) or [w])[0] for w in unit[1:]]
            near = ["".join(parts)] if parts != unit[1:] else []
        options.append(near or [whole])
        changed |= bool(near)
    if not changed:
        return []
    out = []
    for rank in range(3):
        suggestion = " ".join(opts[min(rank, len(opts) - 1)] for opts in options)
        if suggestion in out or suggestion == text.normalise(raw_query):
            continue
        try:
            node_s = query.parse(suggestion)
        except query.QueryError:
            continue
        if node_s is not None and backend.any_match(backend.compile(node_s)):
            out.append(suggestion)
        if len(out) >= MAX_SUGGESTIONS:
            break
    return out
