"""PostgreSQL backend: a tsvector of pre-segmented words on search_searchdoc, GIN-indexed.

The tsvector is built here from the normaliser's words (what ``to_tsvector('simple', ...)`` of the
space-joined words would give, with explicit positions): weights A title, B author, C subject,
D the rest and identifier keys. Each column gets its own position range, so that a phrase never
runs from one field into the next: the same semantics as the SQLite backend's FTS5 columns.

The words of the title, author and subject columns are there a second time with a field prefix
(``t§word``, ``a§word``, ``s§word``; § is never part of a word) at the same positions, and a
``title:``/``author:``/``subject:`` query matches those. The GIN index can answer them alone; a
weight-restricted ``'word':A`` cannot (GIN stores no weights), and PostgreSQL then rechecked every
row holding the word anywhere: 220 ms p95 for field queries at a million records.

Every two neighbouring words of a column are there once more as one pair lexeme (``a§§b``, without
positions), and a phrase query asks for its pairs beside the phrase: GIN cannot check positions, so
``'a' <-> 'b'`` alone made PostgreSQL recheck in the heap every row holding both words (most of the
catalog for two common Thai words: 150 ms p95 at a million records). A phrase implies its pairs, so
the hit sets stay those of SQLite's FTS5 phrases; a two-word phrase is its pair lexeme alone.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from bkklib.core import bulk

from .base import FIELD_COLUMNS, MAX_WORDS_PER_COLUMN, ROW_COLUMNS, TEXT_COLUMNS, SearchBackend

DOC_TABLE = "search_searchdoc"
TSV_INDEX = "search_doc_tsv"  # the GIN index of the tsvector column (migrations)
_WEIGHT = {
    "title": "A", "title_x": "A", "author": "B", "author_x": "B", "subject": "C", "subject_x": "C",
    "rest": "D", "rest_x": "D", "keys": "D",
}
_FIELD_WEIGHT = {field: _WEIGHT[cols[0]] for field, cols in FIELD_COLUMNS.items()}
# Query fields matched through prefixed lexemes, and the prefix each column's words get.
FIELD_PREFIX = {"title": "t§", "author": "a§", "subject": "s§"}
_COLUMN_PREFIX = {column: FIELD_PREFIX[field] for field, columns in FIELD_COLUMNS.items() if field in FIELD_PREFIX
                  for column in columns}
_RANGE = 1800  # positions per column; 9 columns stay under PostgreSQL's limit of 16383
_MAX_POSITIONS = 256  # PostgreSQL keeps at most 256 positions of one word
PAIR_SEPARATOR = "§§"
# The position text ("1801B") of every word slot of every column, made once.
_SLOTS = [[f"{index * _RANGE + 1 + offset}{_WEIGHT[column]}" for offset in range(MAX_WORDS_PER_COLUMN)]
          for index, column in enumerate(TEXT_COLUMNS)]


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def pair_lexeme(first: str, second: str) -> str:
    """Return the lexeme of two neighbouring words (§ is never part of a word or of a field prefix's word)."""
    return first + PAIR_SEPARATOR + second


def tsvector_literal(row: Sequence) -> str:
    """Return the tsvector input text for a row in ``ROW_COLUMNS`` order."""
    # Hot in every import and rebuild (one call per record): one pass per column, the slot text made
    # once per word and shared by the word and its field-prefixed twin (written out twice: a loop over
    # the two measured slower), and the row's words escaped only when one of them needs it.
    positions: dict[str, list[str]] = {}
    pairs: list[str] = []
    for index, column in enumerate(TEXT_COLUMNS):
        value = row[1 + index]
        if not value:
            continue
        prefix, column_slots = _COLUMN_PREFIX.get(column), _SLOTS[index]
        column_words = value.split()[:MAX_WORDS_PER_COLUMN]
        pairs.extend(map(pair_lexeme, column_words, column_words[1:]))
        for slot, word in zip(column_slots, column_words, strict=False):
            slots = positions.get(word)
            if slots is None:
                positions[word] = [slot]
            elif len(slots) < _MAX_POSITIONS:
                slots.append(slot)
            if prefix is not None:
                slots = positions.get(prefix + word)
                if slots is None:
                    positions[prefix + word] = [slot]
                elif len(slots) < _MAX_POSITIONS:
                    slots.append(slot)
    unique_pairs = dict.fromkeys(pairs)
    if any("'" in v or "\\" in v for v in row[1:1 + len(TEXT_COLUMNS)] if v):
        out = " ".join([f"{_lexeme(w)}:{','.join(p)}" for w, p in positions.items()])
        return out + " " + " ".join(map(_lexeme, unique_pairs)) if pairs else out
    out = " ".join([f"'{w}':{','.join(p)}" for w, p in positions.items()])  # nothing to escape in the row
    return out + " '" + "' '".join(unique_pairs) + "'" if pairs else out


class PostgresBackend(SearchBackend):
    """tsvector + GIN matching on PostgreSQL."""

    vendor = "postgresql"

    def upsert(self, rows):
        if not rows:
            return
        cols = ", ".join(ROW_COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*ROW_COLUMNS[1:], "tsv"))
        with self.conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {DOC_TABLE} ({cols}, tsv) VALUES ({', '.join('%s' for _ in ROW_COLUMNS)}, %s::tsvector) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                [(*r, tsvector_literal(r)) for r in rows],
            )

    def insert(self, rows, tsvs=None):
        if not rows:
            return
        if tsvs is None:
            tsvs = [tsvector_literal(r) for r in rows]
        sql = f"COPY {DOC_TABLE} ({', '.join(ROW_COLUMNS)}, tsv) FROM STDIN"
        with self.conn.cursor() as cur, self.conn.wrap_database_errors, cur.cursor.copy(sql) as copy:
            for row, tsv in zip(rows, tsvs, strict=True):
                copy.write_row((*row, tsv))

    def delete(self, ids):
        ids = list(ids)
        if ids:
            with self.conn.cursor() as cur:
                cur.execute(f"DELETE FROM {DOC_TABLE} WHERE id = ANY(%s)", [ids])

    def clear(self):
        with self.conn.cursor() as cur:
            cur.execute(f"DELETE FROM {DOC_TABLE}")

    def merge_pending(self):
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT gin_clean_pending_list('{TSV_INDEX}'::regclass)")

    def optimise(self):
        # After a bulk load (rebuild_index): the index tables keep planner statistics even where
        # autovacuum is off or behind (core.bulk.keep_statistics).
        from ..models import SearchDoc, SearchTerm

        bulk.keep_statistics([SearchDoc, SearchTerm], using=self.conn.alias)

    def compile(self, node) -> str:
        from ..query import And, Match, Not, Or

        if isinstance(node, Match):
            prefix = FIELD_PREFIX.get(node.field, "")
            suffix = ":" + _FIELD_WEIGHT[node.field] if node.field and not prefix else ""
            return "(" + " | ".join(f"({self._phrase(alt, prefix, suffix)})" for alt in node.alternatives) + ")"
        if isinstance(node, And):
            return "(" + " & ".join(f"!{self.compile(c.child)}" if isinstance(c, Not) else self.compile(c)
                                    for c in node.children) + ")"
        if isinstance(node, Or):
            return "(" + " | ".join(self.compile(c) for c in node.children) + ")"
        raise TypeError(f"cannot compile {node!r}")

    @staticmethod
    def _phrase(words, prefix: str, suffix: str) -> str:
        """Return the tsquery of one word or phrase: a phrase's pair lexemes first (the GIN index
        answers them), then its positions where they are still needed."""
        if len(words) == 1:
            return _lexeme(prefix + words[0]) + suffix
        pairs = " & ".join(map(_lexeme, dict.fromkeys(map(pair_lexeme, words, words[1:]))))
        if len(words) == 2 and not prefix and not suffix:
            return pairs  # the pair lexeme is exactly "these two words side by side in one column"
        return pairs + " & (" + " <-> ".join(_lexeme(prefix + w) + suffix for w in words) + ")"

    def match_ids(self, expression):
        with self.conn.cursor() as cur:
            if expression is None:
                cur.execute(f"SELECT id FROM {DOC_TABLE}")
            else:
                cur.execute(f"SELECT id FROM {DOC_TABLE} WHERE tsv @@ %s::tsquery", [expression])
            return [row[0] for row in cur.fetchall()]

    def fetch(self, ids, columns):
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT id, {', '.join(columns)} FROM {DOC_TABLE} WHERE id = ANY(%s)", [list(ids)])
            return _plain_rows(cur.fetchall())

    def log_change(self, ids):
        with self.conn.cursor() as cur:
            cur.execute(
                "INSERT INTO search_searchlog (xid, doc_ids) VALUES (pg_current_xact_id()::text::bigint, %s)",
                [",".join(map(str, ids))],
            )

    def changes_since(self, mark):
        # Transaction ids are handed out at the first write, not at commit: a change with a lower
        # xid may become visible after one with a higher xid. Re-read every change not older than
        # the oldest transaction still running at the last look (its xmin); they are few, and the
        # caller skips those it has already applied.
        with self.conn.cursor() as cur:
            cur.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            new_mark = cur.fetchone()[0]
            cur.execute("SELECT id, doc_ids FROM search_searchlog WHERE xid >= %s", [mark])
            return cur.fetchall(), new_mark

    def current_mark(self):
        with self.conn.cursor() as cur:
            cur.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            return cur.fetchone()[0]

    def any_match(self, expression):
        # Only the GIN index may answer: for a rare match that PostgreSQL thinks common, a scan of the
        # table (or of the primary key) that stops at the first match reads most of the table.
        with transaction.atomic(using=self.conn.alias), self.conn.cursor() as cur:
            cur.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
            seqscan, indexscan = cur.fetchone()
            cur.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")
            cur.execute(f"SELECT 1 FROM {DOC_TABLE} WHERE tsv @@ %s::tsquery LIMIT 1", [expression])
            found = cur.fetchone() is not None
            cur.execute("SELECT set_config('enable_seqscan', %s, true), set_config('enable_indexscan', %s, true)",
                        [seqscan, indexscan])  # as they were (the caller's transaction may go on)
        return found

    def match_ids_limited(self, expression, limit, *, dense=False):
        return [row[0] for row in self.fetch_matching_limited(expression, limit, (), dense=dense)]

    def fetch_matching_limited(self, expression, limit, columns, *, dense=False):
        # One statement: the heap rows the top-N reads are the rows returned (no second look-up by id).
        # PostgreSQL's estimate of a tsquery's matches can be hundreds of times too high (phrases, rare
        # words): it then walks the primary key backwards through the whole table looking for a match
        # (550 ms at 1M records for a suggestion that matches 4). Unless the caller knows the matches
        # are dense, "id + 0" keeps the key's order out of reach: GIN bitmap scan, then a top-N sort.
        order = "id" if dense else "id + 0"
        with self.conn.cursor() as cur:
            cur.execute(
                f"SELECT {', '.join(('id', *columns))} FROM {DOC_TABLE} WHERE tsv @@ %s::tsquery "
                f"ORDER BY {order} DESC LIMIT %s",
                [expression, limit],
            )
            return _plain_rows(cur.fetchall())


def rewrite_tsvectors(conn, batch: int = 5000) -> int:
    """Rebuild every stored tsvector from the words the index itself stores (after a change of the
    lexemes ``tsvector_literal`` writes; no catalog read). Return how many documents were rewritten."""
    last, done = 0, 0
    with conn.cursor() as cur:
        while True:
            cur.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM {DOC_TABLE} WHERE id > %s ORDER BY id LIMIT %s",
                        [last, batch])
            rows = cur.fetchall()
            if not rows:
                return done
            cur.executemany(f"UPDATE {DOC_TABLE} SET tsv = %s::tsvector WHERE id = %s",
                            [(tsvector_literal(row), row[0]) for row in rows])
            last, done = rows[-1][0], done + len(rows)


def _plain_rows(rows) -> list[tuple]:
    return [(r[0], *(bytes(v) if isinstance(v, memoryview) else v for v in r[1:])) for r in rows]
