"""SQLite backend: an FTS5 table over search_searchdoc (external content, triggers), pre-segmented words.

The FTS5 tokenizer is unicode61 with ``categories 'L* N* M* Co'``: the default splits Thai words
at every vowel and tone mark (Unicode category M; docs/architecture.md, Search), which would index "น้ำ" as
"น" and "ำ"; marks must stay inside tokens. Words arrive already normalised and segmented, so the
tokenizer only splits on the spaces between them. Diacritics are not removed by FTS5 (the
normaliser does it for Latin letters only).
"""
from __future__ import annotations

import json
from collections.abc import Sequence

from .base import FIELD_COLUMNS, ROW_COLUMNS, SearchBackend

FTS_TABLE = "search_fts"
DOC_TABLE = "search_searchdoc"
# FTS5 merges a level's index segments once it holds this many (its default: 4). Every write
# transaction adds a segment; merging fewer, larger runs costs a bulk load a fifth less FTS5 work,
# and a search looks into a few more segments until ``optimise`` (rebuild_index) merges them all.
FTS_AUTOMERGE = 8


def _quote(words: Sequence[str]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


class SqliteBackend(SearchBackend):
    """FTS5 matching on SQLite."""

    vendor = "sqlite"

    def upsert(self, rows):
        if not rows:
            return
        with self.conn.cursor() as cur:
            # DELETE + INSERT rather than REPLACE: REPLACE's implicit delete fires no trigger.
            cur.execute(
                f"DELETE FROM {DOC_TABLE} WHERE id IN (SELECT value FROM json_each(%s))", [json.dumps([r[0] for r in rows])]
            )
            cur.executemany(
                f"INSERT INTO {DOC_TABLE} ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('%s' for _ in ROW_COLUMNS)})",
                rows,
            )

    def insert(self, rows, tsvs=None):
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO {DOC_TABLE} ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('%s' for _ in ROW_COLUMNS)})",
                    rows,
                )

    def delete(self, ids):
        ids = list(ids)
        if ids:
            with self.conn.cursor() as cur:
                cur.execute(f"DELETE FROM {DOC_TABLE} WHERE id IN (SELECT value FROM json_each(%s))", [json.dumps(ids)])

    def clear(self):
        with self.conn.cursor() as cur:
            cur.execute(f"DELETE FROM {DOC_TABLE}")

    def compile(self, node) -> str:
        from ..query import And, Match, Not, Or

        if isinstance(node, Match):
            alts = " OR ".join(_quote(alt) for alt in node.alternatives)
            if node.field:
                return "{" + " ".join(FIELD_COLUMNS[node.field]) + "} : (" + alts + ")"
            return "(" + alts + ")"
        if isinstance(node, And):
            pos = [self.compile(c) for c in node.children if not isinstance(c, Not)]
            neg = [self.compile(c.child) for c in node.children if isinstance(c, Not)]
            expr = "(" + " AND ".join(pos) + ")"
            for n in neg:
                expr = f"({expr} NOT {n})"
            return expr
        if isinstance(node, Or):
            return "(" + " OR ".join(self.compile(c) for c in node.children) + ")"
        raise TypeError(f"cannot compile {node!r}")

    def match_ids(self, expression):
        with self.conn.cursor() as cur:
            if expression is None:
                cur.execute(f"SELECT id FROM {DOC_TABLE}")
            else:
                cur.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
            return [row[0] for row in cur.fetchall()]

    def fetch(self, ids, columns):
        with self.conn.cursor() as cur:
            cur.execute(
                f"SELECT id, {', '.join(columns)} FROM {DOC_TABLE} WHERE id IN (SELECT value FROM json_each(%s))",
                [json.dumps(list(ids))],
            )
            return cur.fetchall()

    def log_change(self, ids):
        with self.conn.cursor() as cur:
            cur.execute("INSERT INTO search_searchlog (xid, doc_ids) VALUES (0, %s)", [",".join(map(str, ids))])

    def changes_since(self, mark):
        # Writers are serialised on SQLite: row ids are in commit order, so "after mark" is exact.
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, doc_ids FROM search_searchlog WHERE id > %s ORDER BY id", [mark])
            rows = cur.fetchall()
        return rows, (rows[-1][0] if rows else mark)

    def current_mark(self):
        with self.conn.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM search_searchlog")
            return cur.fetchone()[0]

    def match_ids_limited(self, expression, limit, *, dense=False):  # FTS5 walks its doclists newest first
        with self.conn.cursor() as cur:
            cur.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s", [expression, limit]
            )
            return [row[0] for row in cur.fetchall()]

    def optimise(self):
        with self.conn.cursor() as cur:
            cur.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
