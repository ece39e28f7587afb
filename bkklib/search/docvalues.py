"""Facet values and years of every indexed document, in memory, for filters and facet counts.

SQL ``GROUP BY`` over tens of thousands of matches costs tens of milliseconds (docs/architecture.md, Search);
counting facet codes of the matched ids in numpy arrays costs about one. Each process keeps one
``DocValues`` per database, loaded once and brought up to date before every search from
``search_searchlog`` (the ids each committed index change touched), so it never serves facet
data older than what the searching transaction can see, except for documents changed by a
transaction that commits while the search runs.

A transaction that has itself changed the index does not use it (its own changes are not
committed and may be rolled back): ``engine`` then reads facet values from the database.
"""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

import numpy as np

from .backends.base import SearchBackend

# Document ids beyond this are not kept in arrays (the database path answers instead).
MAX_ID = 50_000_000
# Broad matches remembered per process (ids as int32: 4 bytes an id, 0.4 MB for 100,000 matches).
MAX_REMEMBERED = 256
_LOCK = threading.Lock()
_CURRENT: dict[str, DocValues] = {}


class FacetColumn:
    """The values of one facet: a code per distinct value, a combination id per document.

    A document's values are one *combination* (the sorted tuple of their codes; 0 is no value).
    Counting the values of n matches is one gather and one ``bincount`` over combinations, then
    one weighted ``bincount`` spreading each combination's count to its values: the same cost
    whether documents hold one value (language) or several (branches, availability).
    """

    def __init__(self, capacity: int):
        self.codes: dict[str, int] = {}
        self.values: list[str] = []
        self.combos: dict[tuple[int, ...], int] = {(): 0}
        self.members: list[tuple[int, ...]] = [()]  # combination id -> its codes
        self.data = np.zeros(capacity, dtype=np.int32)  # combination id by document id
        # code -> boolean array by document id, made on first use by a filter, kept up to date.
        self.masks: dict[int, np.ndarray] = {}
        self._spread: tuple[np.ndarray, np.ndarray] | None = None  # (combination, code) pairs

    def code(self, value: str) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code

    def combo(self, codes) -> int:
        key = tuple(sorted(set(codes)))
        combo = self.combos.get(key)
        if combo is None:
            combo = self.combos[key] = len(self.members)
            self.members.append(key)
            self._spread = None
        return combo

    def grow(self, capacity: int) -> None:
        if capacity > len(self.data):
            data = np.zeros(capacity, dtype=np.int32)
            data[: len(self.data)] = self.data
            self.data = data
            self.masks.clear()

    def put(self, slot: int, values: list[str]) -> None:
        combo = self.combo(self.code(v) for v in values)
        self.data[slot] = combo
        for code, mask in self.masks.items():
            mask[slot] = code in self.members[combo]

    def clear(self, slot: int) -> None:
        self.data[slot] = 0
        for mask in self.masks.values():
            mask[slot] = False

    def value_mask(self, code: int) -> np.ndarray:
        mask = self.masks.get(code)
        if mask is None:
            holding = np.fromiter((code in m for m in self.members), dtype=bool, count=len(self.members))
            mask = self.masks[code] = holding[self.data]
        return mask

    def spread(self) -> tuple[np.ndarray, np.ndarray]:
        if self._spread is None:
            pairs = [(combo, code) for combo, members in enumerate(self.members) for code in members]
            self._spread = (np.array([p[0] for p in pairs], dtype=np.int64),
                            np.array([p[1] for p in pairs], dtype=np.int64))
        return self._spread

    def counts(self, slots: np.ndarray, limit: int) -> list[tuple[str, int]]:
        combos, codes = self.spread()
        if not len(slots) or not len(codes):
            return []
        per_combo = np.bincount(self.data[slots], minlength=len(self.members))
        counted = np.bincount(codes, weights=per_combo[combos], minlength=len(self.values))
        nonzero = np.flatnonzero(counted)
        pairs = sorted(((self.values[c], int(counted[c])) for c in nonzero), key=lambda p: (-p[1], p[0]))
        return pairs[:limit]

    def mask(self, slots: np.ndarray, values: list[str]) -> np.ndarray:
        wanted = [self.codes[v] for v in values if v in self.codes]
        if not wanted:
            return np.zeros(len(slots), dtype=bool)
        keep = self.value_mask(wanted[0])[slots]
        for code in wanted[1:]:
            keep |= self.value_mask(code)[slots]
        return keep


class DocValues:
    """Facet codes and years of the documents of one index, by document id."""

    def __init__(self, epoch: str):
        self.epoch = epoch
        self.mark = 0
        self.capacity = 1024
        self.present = np.zeros(self.capacity, dtype=bool)
        self.year = np.zeros(self.capacity, dtype=np.int32)  # 0: no year
        self.columns: dict[str, FacetColumn] = {}
        # Matches of broad queries (node -> MatchEntry), kept up to date like the facet values.
        self.matches: OrderedDict = OrderedDict()
        self.applied: set[int] = set()  # change-log rows already applied that may be read again

    def _grow(self, need: int) -> None:
        if need <= self.capacity:
            return
        capacity = max(need, self.capacity * 2)
        year = np.zeros(capacity, dtype=np.int32)
        year[: self.capacity] = self.year
        self.year = year
        present = np.zeros(capacity, dtype=bool)
        present[: self.capacity] = self.present
        self.present = present
        for column in self.columns.values():
            column.grow(capacity)
        self.capacity = capacity

    def bulk_load(self, rows, parsed: dict | None = None) -> None:
        """Fill from ``(id, facets, year)`` rows of every document (faster than ``put`` each).

        ``parsed`` remembers the codes of facet texts across calls: many records share one.
        """
        ids, years = [], []
        per_column: dict[str, tuple[list[int], list[int]]] = {}
        parsed = {} if parsed is None else parsed
        if len(parsed) > 200_000:
            parsed.clear()
        for doc_id, facets, year in rows:
            ids.append(doc_id)
            years.append(year or 0)
            if not facets:
                continue
            plan = parsed.get(facets)
            if plan is None:
                grouped: dict[str, list[str]] = {}
                for line in facets.split("\n"):
                    name, _, value = line.partition("\t")
                    grouped.setdefault(name, []).append(value)
                plan = []
                for name, values in grouped.items():
                    column = self.columns.get(name)
                    if column is None:
                        column = self.columns[name] = FacetColumn(self.capacity)
                    plan.append((name, column.combo(column.code(v) for v in values)))
                parsed[facets] = plan
            for name, combo in plan:
                target = per_column.get(name)
                if target is None:
                    target = per_column[name] = ([], [])
                target[0].append(doc_id)
                target[1].append(combo)
        if not ids:
            return
        self._grow(max(ids) + 1)
        index = np.array(ids, dtype=np.int64)
        self.present[index] = True
        self.year[index] = np.array(years, dtype=np.int32)
        for name, (doc_ids, combos) in per_column.items():
            column = self.columns[name]
            column.data[np.array(doc_ids, dtype=np.int64)] = np.array(combos, dtype=np.int32)
            column.masks.clear()

    def put(self, doc_id: int, facets: str, year: int | None) -> None:
        self._grow(doc_id + 1)
        self.present[doc_id] = True
        self.year[doc_id] = year or 0
        grouped: dict[str, list[str]] = {}
        for line in facets.split("\n") if facets else ():
            name, _, value = line.partition("\t")
            grouped.setdefault(name, []).append(value)
        for name in set(grouped) | set(self.columns):
            column = self.columns.get(name)
            if column is None:
                column = self.columns[name] = FacetColumn(self.capacity)
            column.put(doc_id, grouped.get(name, []))

    def remove(self, doc_id: int) -> None:
        if doc_id < self.capacity:
            self.present[doc_id] = False
            self.year[doc_id] = 0
            for column in self.columns.values():
                column.clear(doc_id)

    # The read side, shared in spirit with engine.RowValues (same results, from rows).
    def slots(self, ids: list[int]) -> np.ndarray:
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    def filter(self, slots: np.ndarray, filters: dict[str, list[str]], year_from, year_to) -> np.ndarray:
        keep = np.ones(len(slots), dtype=bool)
        for name, values in filters.items():
            column = self.columns.get(name)
            keep &= column.mask(slots, values) if column else False
        if year_from is not None or year_to is not None:
            years = self.year[slots]
            keep &= years != 0
            if year_from is not None:
                keep &= years >= year_from
            if year_to is not None:
                keep &= years <= year_to
        return slots if keep.all() else slots[keep]

    def counts(self, slots: np.ndarray, names, limit: int) -> dict[str, list[tuple[str, int]]]:
        return {name: (self.columns[name].counts(slots, limit) if name in self.columns else []) for name in names}

    def newest_first(self, slots: np.ndarray, n: int) -> np.ndarray:
        """Return the first ``n`` of ``slots`` by year descending (no year last), then id descending."""
        if len(slots) > 4 * n:
            # Only the newest years can hold the first n: cut at the n-th largest year first.
            years = self.year[slots]
            cut = np.partition(years, len(years) - n)[len(years) - n]
            slots = slots[years >= cut]
        return slots[np.lexsort((-slots, -self.year[slots]))][:n]

    def all_ids(self) -> np.ndarray:
        return np.flatnonzero(self.present)

    def member(self, slots: np.ndarray) -> np.ndarray:
        """Return a boolean array over document ids, True for ``slots``."""
        mask = np.zeros(self.capacity, dtype=bool)
        mask[slots] = True
        return mask

    # Broad matches: remembered per query node, patched when documents change.
    def remembered(self, node) -> MatchEntry | None:
        entry = self.matches.get(node)
        if entry is not None:
            self.matches.move_to_end(node)
        return entry

    def remember(self, node, ids: np.ndarray) -> MatchEntry:
        entry = self.matches[node] = MatchEntry(ids)
        while len(self.matches) > MAX_REMEMBERED:
            self.matches.popitem(last=False)
        return entry

    def patch_matches(self, backend: SearchBackend, changed: set[int]) -> None:
        if not self.matches or not changed:
            return
        from . import ranking

        rows = backend.fetch(sorted(changed), ranking.ALL_COLUMNS)
        pads = {r[0]: ranking.padded(dict(zip(ranking.ALL_COLUMNS, r[1:], strict=True))) for r in rows}
        changed_array = np.array(sorted(changed), dtype=np.int64)
        for node, entry in self.matches.items():
            now = [doc_id for doc_id, pad in pads.items() if ranking.matches(node, pad)]
            kept = np.setdiff1d(entry.ids, changed_array, assume_unique=True)
            entry.ids = np.union1d(kept, np.array(now, dtype=np.int64)) if now else kept
            entry.facets = {}
            entry.ranked = None


class MatchEntry:
    """The ids matching one broad query, with what was derived from them (dropped on change)."""

    def __init__(self, ids: np.ndarray):
        self.ids = ids
        self.facets: dict[str, list] = {}  # unfiltered facet counts by facet name
        self.ranked: list[tuple[int, float]] | None = None  # unfiltered candidates, best first


def _epoch(conn) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT value FROM search_searchstate WHERE key = 'epoch'")
        row = cur.fetchone()
    return row[0] if row else ""


def ensure_epoch(conn) -> None:
    """Give the index an epoch if it has none (a new or emptied database)."""
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO search_searchstate (key, value) VALUES ('epoch', %s) ON CONFLICT (key) DO NOTHING",
            [uuid.uuid4().hex],
        )


def new_epoch(conn) -> None:
    """Start a new epoch: every process reloads its DocValues (after a rebuild or clear)."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM search_searchstate WHERE key = 'epoch'")
        cur.execute("DELETE FROM search_searchlog")
    ensure_epoch(conn)


def _load(backend: SearchBackend, epoch: str) -> DocValues | None:
    values = DocValues(epoch)
    values.mark = backend.current_mark()
    with backend.conn.cursor() as cur:
        cur.execute("SELECT max(id) FROM search_searchdoc")
        top = cur.fetchone()[0] or 0
        if top >= MAX_ID:
            return None
        values._grow(top + 1)
        cur.execute("SELECT id, facets, year FROM search_searchdoc")
        parsed: dict = {}
        while rows := cur.fetchmany(50000):
            values.bulk_load(rows, parsed)
    return values


def current(backend: SearchBackend) -> DocValues | None:
    """Return this process's DocValues for the backend's database, up to date; None if unusable."""
    conn = backend.conn
    key = f"{conn.alias}:{conn.settings_dict.get('NAME')}"
    epoch = _epoch(conn)
    if not epoch:
        return None
    with _LOCK:
        values = _CURRENT.get(key)
        if values is None or values.epoch != epoch:
            _CURRENT.pop(key, None)
            values = _load(backend, epoch)
            if values is None:
                return None
            _CURRENT[key] = values
            return values
        log_rows, mark = backend.changes_since(values.mark)
        fresh = [(log_id, ids) for log_id, ids in log_rows if log_id not in values.applied]
        # Only rows returned this time can be returned again: remember just those.
        values.applied = {log_id for log_id, _ids in log_rows}
        changed = [int(x) for _log_id, ids in fresh for x in ids.split(",") if x]
        if changed:
            rows = {r[0]: r for r in backend.fetch(sorted(set(changed)), ("facets", "year"))}
            for doc_id in set(changed):
                if doc_id >= MAX_ID:
                    _CURRENT.pop(key, None)
                    return None
                if doc_id in rows:
                    values.put(doc_id, rows[doc_id][1], rows[doc_id][2])
                else:
                    values.remove(doc_id)
            values.patch_matches(backend, set(changed))
        values.mark = mark
        return values


def forget() -> None:
    """Drop every process-local DocValues (tests, after a database is recreated)."""
    with _LOCK:
        _CURRENT.clear()


def peek(backend: SearchBackend) -> DocValues | None:
    """Return this process's DocValues for the backend's database as they are (no refresh)."""
    conn = backend.conn
    return _CURRENT.get(f"{conn.alias}:{conn.settings_dict.get('NAME')}")
