"""Run a parsed query: match in the database, then filter, count facets, rank, sort and page.

Where the time goes at 1M records (ARCHITECTURE §6): the database returns every matching id
cheaply, but ranking all of them or counting facets with SQL is slow. So:

- filters and facet counts use the in-memory ``DocValues`` (numpy, ~1 ms for 50,000 matches);
  a transaction that has itself changed the index reads them from the database instead;
- relevance ranks a bounded candidate set with ``ranking.score`` (BM25F): every match when there
  are at most ``CANDIDATES``, otherwise the records whose title is exactly the query, the newest
  ``CANDIDATES`` records matching the query in their title, and the newest other matches to fill;
- title order walks the (sort_key, id) index until the page is full when matches are many.
"""
from __future__ import annotations

from collections import Counter

from . import docvalues, query, ranking
from .documents import Hit, SearchResult

CANDIDATES = 1000
FACET_LIMIT = 100
TITLE_SORT_FETCH = 5000  # up to this many matches, fetch their sort keys; beyond, walk the index


def note_write(conn) -> None:
    """Remember that the current transaction changed the index (its DocValues are not usable)."""
    if conn.in_atomic_block:
        conn._bkklib_search_dirty = conn.atomic_blocks[0]
        docvalues.ensure_epoch(conn)
    else:
        docvalues.ensure_epoch(conn)


def reset(conn) -> None:
    """Give the index a new epoch (every process reloads its DocValues); call after emptying it."""
    docvalues.new_epoch(conn)
    note_write(conn)


def _dirty(conn) -> bool:
    marker = getattr(conn, "_bkklib_search_dirty", None)
    if marker is None:
        return False
    if conn.in_atomic_block and conn.atomic_blocks and conn.atomic_blocks[0] is marker:
        return True
    conn._bkklib_search_dirty = None  # that transaction has ended, committed or rolled back
    return False


class RowValues:
    """Facet values and years read from the database for the given ids (same answers as DocValues)."""

    def __init__(self, backend, ids: list[int]):
        self.year: dict[int, int] = {}
        self.facets: dict[int, dict[str, list[str]]] = {}
        for chunk_start in range(0, len(ids), 20000):
            for doc_id, facets, year in backend.fetch(ids[chunk_start:chunk_start + 20000], ("facets", "year")):
                self.year[doc_id] = year or 0
                grouped: dict[str, list[str]] = {}
                for line in facets.split("\n") if facets else ():
                    name, _, value = line.partition("\t")
                    grouped.setdefault(name, []).append(value)
                self.facets[doc_id] = grouped

    def slots(self, ids):
        return list(ids)

    def filter(self, slots, filters, year_from, year_to):
        out = []
        for doc_id in slots:
            grouped = self.facets.get(doc_id, {})
            if any(not set(values) & set(grouped.get(name, ())) for name, values in filters.items()):
                continue
            year = self.year.get(doc_id, 0)
            if (year_from is not None or year_to is not None) and (
                not year or (year_from is not None and year < year_from) or (year_to is not None and year > year_to)
            ):
                continue
            out.append(doc_id)
        return out

    def counts(self, slots, names, limit):
        out = {}
        for name in names:
            counter = Counter(v for doc_id in slots for v in self.facets.get(doc_id, {}).get(name, ()))
            out[name] = sorted(counter.items(), key=lambda p: (-p[1], p[0]))[:limit]
        return out

    def newest_first(self, slots):
        return sorted(slots, key=lambda i: (-self.year.get(i, 0), -i))


def _title_only(node):
    """Return ``node`` with its unrestricted words restricted to the title."""
    if isinstance(node, query.Match):
        if node.field is None and not node.alternatives[0][0].startswith("isbn"):
            return query.Match(node.alternatives, "title")
        return node
    if isinstance(node, query.Not):
        return node
    return type(node)(tuple(_title_only(c) for c in node.children))


def _query_words(node) -> list[str] | None:
    """Return the words of a plain query (words and phrases, no OR/NOT/field) in order, else None."""
    if isinstance(node, query.Match):
        if node.field not in (None, "title"):
            return None
        return list(node.alternatives[-1])
    if isinstance(node, query.And):
        out = []
        for child in node.children:
            words = _query_words(child)
            if words is None:
                return None
            out.extend(words)
        return out
    return None


def _rank(backend, node, ids: list[int], page_end: int) -> list[tuple[int, float]]:
    """Return ``(id, score)`` of the best matches, in order, at least ``page_end`` of them if there are."""
    leaves = query.matches(node)
    words = _query_words(node)
    exact_key = ranking.title_key(words) if words else None
    joined = "".join(words) if words else ""
    if len(ids) <= CANDIDATES:
        candidates = ids
    else:
        allowed = set(ids)
        chosen: dict[int, None] = {}
        if exact_key:
            for doc_id in backend.match_ids(backend.compile(query.Match(((exact_key,),)))):
                if doc_id in allowed:
                    chosen[doc_id] = None
        for doc_id in backend.match_ids_limited(backend.compile(_title_only(node)), CANDIDATES):
            if doc_id in allowed:
                chosen[doc_id] = None
        if len(chosen) < CANDIDATES:
            for doc_id in sorted(ids, reverse=True):
                if len(chosen) >= CANDIDATES:
                    break
                chosen.setdefault(doc_id, None)
        candidates = list(chosen)
    scored = []
    for row in backend.fetch(candidates, ranking.SCORE_COLUMNS):
        columns = dict(zip(ranking.SCORE_COLUMNS, row[1:], strict=True))
        scored.append((row[0], ranking.score(columns, leaves, exact_key, joined)))
    scored.sort(key=lambda p: (-p[1], -p[0]))
    if page_end > len(scored):
        seen = {doc_id for doc_id, _ in scored}
        rest = sorted((i for i in ids if i not in seen), reverse=True)
        scored.extend((doc_id, 0.0) for doc_id in rest[: page_end - len(scored)])
    return scored


def _title_order(backend, ids: list[int], page_end: int) -> list[int]:
    if len(ids) <= TITLE_SORT_FETCH:
        rows = backend.fetch(ids, ("sort_key",))
        rows.sort(key=lambda r: (bytes(r[1]), r[0]))
        return [r[0] for r in rows[:page_end]]
    wanted, out, after = set(ids), [], None
    while len(out) < page_end:
        chunk = backend.sorted_after(after, 5000)
        if not chunk:
            break
        out.extend(doc_id for doc_id, _ in chunk if doc_id in wanted)
        after = (chunk[-1][1], chunk[-1][0])
    return out[:page_end]


def run(backend, node, *, filters, year_from, year_to, facets, sort, page, page_size) -> SearchResult:
    """Return one page of results for the parsed query ``node`` (None: every document)."""
    ids = backend.match_ids(None if node is None else backend.compile(node))
    values = None if _dirty(backend.conn) else docvalues.current(backend)
    if values is None:
        values = RowValues(backend, ids)
    slots = values.slots(ids)
    if filters or year_from is not None or year_to is not None:
        slots = values.filter(slots, filters, year_from, year_to)
    total = len(slots)
    facet_counts = values.counts(slots, facets, FACET_LIMIT) if facets else {}
    start, page_end = (page - 1) * page_size, page * page_size
    hits: list[Hit] = []
    if total and start < total:
        if sort == "relevance" and node is not None:
            ranked = _rank(backend, node, [int(i) for i in slots], page_end)
            hits = [Hit(id=doc_id, score=round(score, 6)) for doc_id, score in ranked[start:page_end]]
        elif sort == "title":
            ordered = _title_order(backend, [int(i) for i in slots], page_end)
            hits = [Hit(id=doc_id, score=0.0) for doc_id in ordered[start:page_end]]
        else:
            ordered = values.newest_first(slots)
            hits = [Hit(id=int(doc_id), score=0.0) for doc_id in ordered[start:page_end]]
    return SearchResult(hits=hits, total=total, page=page, page_size=page_size, facets=facet_counts, suggestions=[])

