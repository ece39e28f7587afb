"""Did-you-mean: the nearest words of the index vocabulary to the words of a query that found nothing.

The vocabulary (``SearchTerm``) gains every word of titles, authors, subjects and series as they
are indexed. A query word that is not in it is compared, by edit distance, with the vocabulary
words of about the same length that start with the same letter or end with the same letter
(a typo rarely hits both ends; both look-ups use an index); Thai and English alike. A suggestion is offered only when the
corrected query finds something.
"""
from __future__ import annotations

from . import query, text

MAX_CANDIDATES = 4000
MAX_SUGGESTIONS = 3


# Words this process has already written to the vocabulary (skipped next time: most words of a
# batch are old ones). Best effort: after a rolled-back batch a word may be missing until seen
# again in a committed one, which costs a suggestion at most.
_KNOWN: set[str] = set()
_KNOWN_LIMIT = 1_000_000


def add_terms(conn, words) -> None:
    """Add ``words`` to the vocabulary (inside the caller's transaction)."""
    rows = [(w, w[0], w[-1], len(w)) for w in set(words) - _KNOWN if 1 < len(w) <= 40 and not w.isdigit()]
    if len(_KNOWN) > _KNOWN_LIMIT:
        _KNOWN.clear()
    _KNOWN.update(r[0] for r in rows)
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
    """Return the Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``."""
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
    scored = sorted(
        (d, abs(len(t) - len(word)), t) for t in terms if t != word and (d := distance(word, t, limit)) <= limit
    )
    return [t for _, _, t in scored[:5]]


def _known(conn, words: list[str]) -> set[str]:
    if not words:
        return set()
    with conn.cursor() as cur:
        placeholders = ", ".join("%s" for _ in words)
        cur.execute(f"SELECT term FROM search_searchterm WHERE term IN ({placeholders})", words)
        return {r[0] for r in cur.fetchall()}


def suggestions(backend, node, raw_query: str) -> list[str]:
    """Return up to three corrected queries that find something, for a query that found nothing."""
    leaves = query.matches(node)
    words = []
    for leaf in leaves:
        alt = leaf.alternatives[-1]
        if alt and alt[0].startswith(("isbn", "ti")) and len(alt) == 1 and any(c.isdigit() for c in alt[0]):
            continue
        words.extend(alt)
    words = [w for w in dict.fromkeys(words) if len(w) > 1 and not w.isdigit()]
    if not words:
        return []
    conn = backend.conn
    known = _known(conn, words)
    options = {w: ([w] if w in known else nearest(conn, w)) for w in words}
    if all(w in known for w in words) or any(not opts for opts in options.values()):
        # Every word exists (only the combination finds nothing), or one has no neighbour:
        # offer the words that do find something on their own.
        found = []
        for opts in options.values():
            for candidate in opts[:1]:
                if backend.match_ids_limited(backend.compile(query.Match(((candidate,),))), 1):
                    found.append(candidate)
        if len(found) == len(words) or not found:
            return []
        return [" ".join(found)][:MAX_SUGGESTIONS]
    out = []
    for rank in range(3):
        chosen = [opts[min(rank, len(opts) - 1)] for opts in options.values()]
        suggestion = " ".join(chosen)
        if suggestion in out or suggestion == text.normalise(raw_query):
            continue
        node_s = query.parse(suggestion)
        if node_s is not None and backend.match_ids_limited(backend.compile(node_s), 1):
            out.append(suggestion)
        if len(out) >= MAX_SUGGESTIONS:
            break
    return out
