"""Run a parsed query: match in the database, then filter, count facets, rank, sort and page.

Where the time goes at 1M records (docs/architecture.md, Search; figures in docs/performance.md):
the database returns every matching id cheaply, but ranking all of them or counting facets with SQL
is slow. So:

- filters and facet counts use the in-memory ``DocValues`` (numpy, ~1 ms for 50,000 matches);
  a transaction that has itself changed the index reads them from the database instead;
- relevance ranks a bounded candidate set with ``ranking.score`` (BM25F): every match when there
  are at most ``CANDIDATES``, otherwise the records whose title is exactly the query, the newest
  ``CANDIDATES`` records matching the query in their title, and the newest other matches to fill;
- title order walks the (sort_key, id) index until the page is full when matches are many.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from . import docvalues, query, ranking
from .documents import Hit, SearchResult

CANDIDATES = 200  # issue 31: was 500; scoring every match of a mid-frequency word made the p95
FACET_LIMIT = 100
FILL_TO = 100  # with filters, candidates beyond the title matches are scored up to this many
REMEMBER_FROM = 5000  # matches of a query from this many are kept in memory (DocValues.matches)
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

    def newest_first(self, slots, n):
        return sorted(slots, key=lambda i: (-self.year.get(i, 0), -i))[:n]


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


def _score_rows(backend, ids, leaves, exact_key, joined) -> list[tuple[int, float]]:
    if not ids:
        return []
    return ranking.score_rows(backend.fetch(ids, ranking.SCORE_COLUMNS), leaves, exact_key, joined)


def _candidate_rows(backend, node, exact_key, matched: int, unfiltered=None) -> list[tuple]:
    """Return the score rows of the records whose title is exactly the query and of the newest
    matching in the title (``matched``: how many records the whole query matches; ``unfiltered``:
    their ids ascending, if known)."""
    exact = backend.match_ids(backend.compile(query.Match(((exact_key,),)))) if exact_key else []
    title_node = _title_only(node)
    if title_node == node and unfiltered is not None:
        # Every word already names its field (subject:…, title:…): the title matches are the matches.
        rows = backend.fetch([int(i) for i in unfiltered[::-1][:CANDIDATES]], ranking.SCORE_COLUMNS)
    else:
        rows = backend.fetch_matching_limited(backend.compile(title_node), CANDIDATES, ranking.SCORE_COLUMNS,
                                              dense=matched >= REMEMBER_FROM)
    have = {row[0] for row in rows}
    missing = [doc_id for doc_id in dict.fromkeys(exact) if doc_id not in have]
    return rows + backend.fetch(missing, ranking.SCORE_COLUMNS) if missing else rows


def _rank(backend, node, slots, page_end: int, values=None, entry=None, unfiltered=None) -> list[tuple[int, float]]:
    """Return ``(id, score)`` of the best matches in order, at least ``page_end`` of them if there are.

    ``slots`` are the (filtered) matching ids: a list (database path) or a numpy array of ids in
    ascending order (DocValues path, with ``values``; ``entry`` holds a broad query's remembered
    unfiltered candidates; ``unfiltered`` the matching ids before the filters, ascending, if known).
    """
    leaves = query.matches(node)
    words = _query_words(node)
    exact_key = ranking.title_key(words) if words else None
    joined = "".join(words) if words else ""
    if len(slots) <= CANDIDATES:
        scored = _score_rows(backend, [int(i) for i in slots], leaves, exact_key, joined)
    else:
        if entry is not None and entry.ranked is not None:
            ranked = entry.ranked
        else:
            matched = len(entry.ids) if entry is not None else len(slots)  # before the filters
            rows = _candidate_rows(backend, node, exact_key, matched, unfiltered)
            ranked = ranking.score_rows(rows, leaves, exact_key, joined)
            if entry is not None:
                entry.ranked = ranked
        if values is not None:
            member = values.member(slots)
            scored = [p for p in ranked if p[0] < len(member) and member[p[0]]]
            newest = slots[::-1]
        else:
            allowed = set(slots)
            scored = [p for p in ranked if p[0] in allowed]
            newest = sorted(slots, reverse=True)
        # A fixed number, not one that grows with the page asked for: the order of the hits must not
        # depend on which page is read, or paging would show some hits twice and others never.
        want = FILL_TO
        if len(scored) < want:
            # Too few title matches (or too few pass the filters): score the newest other matches too.
            seen = {doc_id for doc_id, _ in scored}
            fill = []
            for doc_id in newest[: want + len(seen)].tolist() if values is not None else newest:
                if len(fill) + len(scored) >= want:
                    break
                if doc_id not in seen:
                    fill.append(doc_id)
            scored = scored + _score_rows(backend, fill, leaves, exact_key, joined)
    scored.sort(key=lambda p: (-p[1], -p[0]))
    if page_end > len(scored):
        seen = {doc_id for doc_id, _ in scored}
        rest = (int(i) for i in (slots[::-1] if values is not None else sorted(slots, reverse=True)))
        for doc_id in rest:
            if len(scored) >= page_end:
                break
            if doc_id not in seen:
                scored.append((doc_id, 0.0))
    return scored


def backend_size(backend) -> int:
    """Return about how many documents the index holds (cheap; cached per DocValues)."""
    values = docvalues.peek(backend)
    return int(values.present.sum()) if values is not None else 100_000


def _title_order(backend, ids, page_end: int, member=None) -> list[int]:
    if len(ids) <= TITLE_SORT_FETCH:
        rows = backend.fetch([int(i) for i in ids], ("sort_key",))
        rows.sort(key=lambda r: (bytes(r[1]), r[0]))
        return [r[0] for r in rows[:page_end]]
    if member is None:
        wanted = set(ids)
        member = wanted.__contains__
    out, after = [], None
    # Enough rows of the title order to fill the page at the matches' density, then more if not.
    step = min(5000, max(200, int(page_end * 1.5 * backend_size(backend) / max(len(ids), 1))))
    while len(out) < page_end:
        chunk = backend.sorted_after(after, step)
        step = 5000
        if not chunk:
            break
        out.extend(doc_id for doc_id, _ in chunk if member(doc_id))
        after = (chunk[-1][1], chunk[-1][0])
    return out[:page_end]


def run(backend, node, *, filters, year_from, year_to, facets, sort, page, page_size) -> tuple[SearchResult, int]:
    """Return one page of results for the parsed query ``node`` (None: every document), and how
    many documents the query matched before the filters."""
    values = None if _dirty(backend.conn) else docvalues.current(backend)
    entry = None
    if values is None:
        slots = backend.match_ids(None if node is None else backend.compile(node))
        source = RowValues(backend, slots)
    else:
        source = values
        entry = values.remembered(node)
        if entry is not None:
            slots = entry.ids
        else:
            if node is None:
                slots = values.all_ids()
            else:
                ids = backend.match_ids(backend.compile(node))
                slots = np.sort(np.fromiter(ids, dtype=np.int32 if values.capacity < 2**31 else np.int64, count=len(ids)))
                if len(slots) and slots[-1] >= values.capacity:
                    # Committed between the refresh of ``values`` and the match (a separate statement
                    # outside a transaction): the next search sees them.
                    slots = slots[: int(np.searchsorted(slots, values.capacity))]
            if len(slots) >= REMEMBER_FROM:
                entry = values.remember(node, slots)
    filtered = bool(filters) or year_from is not None or year_to is not None
    matched = len(slots)
    unfiltered = slots if values is not None else None  # ascending ids (the database path's are unordered)
    if filtered:
        slots = source.filter(slots, filters, year_from, year_to)
    total = len(slots)
    facet_counts = {}
    if facets:
        if entry is not None and not filtered:
            missing = [name for name in facets if name not in entry.facets]
            if missing:
                entry.facets.update(source.counts(slots, missing, FACET_LIMIT))
            facet_counts = {name: entry.facets[name] for name in facets}
        else:
            facet_counts = source.counts(slots, facets, FACET_LIMIT)
    start, page_end = (page - 1) * page_size, page * page_size
    hits: list[Hit] = []
    if total and start < total:
        if sort == "relevance" and node is not None:
            ranked = _rank(backend, node, slots, page_end, values=values, entry=entry, unfiltered=unfiltered)
            hits = [Hit(id=doc_id, score=round(score, 6)) for doc_id, score in ranked[start:page_end]]
        elif sort == "title":
            member = None
            if values is not None and len(slots) > TITLE_SORT_FETCH:
                mask = values.member(slots)
                member = lambda doc_id: doc_id < len(mask) and bool(mask[doc_id])  # noqa: E731
            ordered = _title_order(backend, slots, page_end, member)
            hits = [Hit(id=doc_id, score=0.0) for doc_id in ordered[start:page_end]]
        else:
            ordered = source.newest_first(slots, page_end)
            hits = [Hit(id=int(doc_id), score=0.0) for doc_id in ordered[start:page_end]]
    result = SearchResult(hits=hits, total=total, page=page, page_size=page_size, facets=facet_counts, suggestions=[])
    return result, matched
