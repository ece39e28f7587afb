"""The interface every search backend implements, and the row layout they share."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

# The text columns of search_searchdoc the full-text index is built from, in order.
TEXT_COLUMNS = ("title", "title_x", "author", "author_x", "subject", "subject_x", "rest", "rest_x", "keys")
# A row to store: id, the text columns, facets, year, sort_key.
ROW_COLUMNS = ("id", *TEXT_COLUMNS, "facets", "year", "sort_key")
# The columns a query field restricts to.
FIELD_COLUMNS = {
    "title": ("title", "title_x"),
    "author": ("author", "author_x"),
    "subject": ("subject", "subject_x"),
    "isbn": ("keys",),
}
# Each column keeps at most this many words (PostgreSQL gives each column a position range).
MAX_WORDS_PER_COLUMN = 1790


class SearchBackend(ABC):
    """Store documents and answer boolean full-text matches on one database engine.

    Ranking, facets and sorting are computed the same way for every engine by the index
    facade from what a backend returns, so both engines give the same answers.
    """

    vendor = ""

    def __init__(self, conn):
        self.conn = conn

    @abstractmethod
    def upsert(self, rows: Sequence[tuple]) -> None:
        """Insert or replace the rows (``ROW_COLUMNS`` order) and their full-text entries."""

    def insert(self, rows: Sequence[tuple], tsvs: Sequence[str] | None = None) -> None:
        """Insert rows of documents the index does not hold yet (new records); ``tsvs`` are their
        full-text entries where the caller prepared them (PostgreSQL). A row already there fails the
        caller's transaction (use ``upsert`` for documents that may exist)."""
        self.upsert(rows)

    @abstractmethod
    def delete(self, ids: Sequence[int]) -> None:
        """Remove the documents ``ids`` (missing ones are ignored)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    @abstractmethod
    def compile(self, node) -> str:
        """Return the engine's full-text query for a parsed query node."""

    @abstractmethod
    def match_ids(self, expression: str) -> list[int]:
        """Return the ids of every document matching a compiled expression."""

    @abstractmethod
    def fetch(self, ids: Sequence[int], columns: Sequence[str]) -> list[tuple]:
        """Return ``(id, *columns)`` of the documents ``ids`` (any order)."""

    @abstractmethod
    def log_change(self, ids: Sequence[int]) -> None:
        """Record that the documents ``ids`` changed (for in-memory facet data of other processes)."""

    @abstractmethod
    def changes_since(self, mark: int) -> tuple[list[tuple[int, str]], int]:
        """Return the change-log rows ``(log id, "id,id,...")`` after ``mark`` that this transaction
        can see (some may be returned again later), and the new mark."""

    @abstractmethod
    def current_mark(self) -> int:
        """Return the mark from which ``changes_since`` finds every change not yet visible now."""

    @abstractmethod
    def match_ids_limited(self, expression: str, limit: int, *, dense: bool = False) -> list[int]:
        """Return the ids of at most ``limit`` matching documents, highest ids first.

        ``dense``: the caller knows the expression matches a large share of the index (walking the
        newest documents finds ``limit`` matches soon); otherwise the engine must not walk them."""

    def fetch_matching_limited(self, expression: str, limit: int, columns: Sequence[str], *,
                               dense: bool = False) -> list[tuple]:
        """Return ``(id, *columns)`` of the documents ``match_ids_limited`` returns (any order)."""
        return self.fetch(self.match_ids_limited(expression, limit, dense=dense), columns)

    def any_match(self, expression: str) -> bool:
        """Return True when at least one document matches a compiled expression."""
        return bool(self.match_ids_limited(expression, 1))

    def sorted_after(self, after: tuple[bytes, int] | None, limit: int) -> list[tuple[int, bytes]]:
        """Return ``(id, sort_key)`` of the next ``limit`` documents in title order after ``after``."""
        with self.conn.cursor() as cur:
            if after is None:
                cur.execute("SELECT id, sort_key FROM search_searchdoc ORDER BY sort_key, id LIMIT %s", [limit])
            else:
                cur.execute(
                    "SELECT id, sort_key FROM search_searchdoc WHERE (sort_key, id) > (%s, %s) "
                    "ORDER BY sort_key, id LIMIT %s", [after[0], after[1], limit],
                )
            return [(r[0], bytes(r[1])) for r in cur.fetchall()]

    def merge_pending(self) -> None:  # noqa: B027 - optional hook, most engines need nothing
        """Merge full-text entries a bulk load left pending into the index (nothing by default)."""

    def optimise(self) -> None:  # noqa: B027 - optional hook, most engines need nothing
        """Compact the full-text structures after a bulk load (nothing by default)."""
