"""The search facade the catalog codes against (the search contract, docs/api/search.md); picks the backend by DB vendor.

Matching runs in the database (FTS5 on SQLite, tsvector + GIN on PostgreSQL). Filters, facet
counts, ranking and sorting are computed here, the same way for both engines, from the matched
ids and the index's own per-document data (see ranking.py, docvalues.py); so both engines return
the same hits in the same order.
"""
from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, transaction
from django.utils.translation import gettext as _

from bkklib.core import bulk, processes
from bkklib.core.calendar import BE_OFFSET

from . import engine, query, suggest
from .analysis import facet_text, prepare, prepare_many
from .backends import base, for_connection
from .backends.postgresql import tsvector_literal
from .documents import Document, SearchResult

BATCH_SIZE = 2000
# Years from 2400 on are Buddhist Era years (2400 BE = 1857 CE; no catalogued book is dated 2400 CE).
FIRST_BE_YEAR = 2400
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
FACET_NAMES = ("branch", "material_type", "language", "year", "availability")
# Bulk indexing (a rebuild, a large reindex) of at least PARALLEL_FROM documents prepares them in
# helper processes (bkklib.core.processes; BKKLIB_WORKERS=0 turns them off), CHUNK at a time, while
# this process writes the previous chunk.
PARALLEL_FROM = 1000
CHUNK = 250
__all__ = ["ROW_COLUMNS", "add_prepared", "bulk_session", "ce_year", "count", "delete_documents", "index_documents",
           "prepare", "prepare_for_load", "rebuild", "row_for", "search"]

# --- bulk loading: what a bulk import (the catalog's MARC import) needs -----------------------------
# A prepared row, what ``prepare`` and ``prepare_for_load`` return and ``add_prepared`` stores:
# id, the text columns, facets, year, sort_key.
ROW_COLUMNS = base.ROW_COLUMNS
_FACETS_AT = ROW_COLUMNS.index("facets")
# SQLite's page cache during a bulk session (KiB): the indexes of a large catalog do not fit in the default 2 MiB.
SQLITE_BULK_CACHE_KIB = 256 * 1024
# PostgreSQL during a bulk session: the index's GIN pending list merges into the index in larger,
# cheaper steps (searches meanwhile read a longer pending list); it is merged when the session ends.
POSTGRES_BULK_SETTINGS = {"gin_pending_list_limit": "32MB", "work_mem": "64MB"}


def _prepared_chunks(docs: Iterable[Document]):
    """Yield lists of ``prepare`` results, CHUNK documents at a time, in order (in helper processes
    from PARALLEL_FROM documents on; the documents themselves are read in this thread only)."""
    iterator = iter(docs)
    head = list(itertools.islice(iterator, PARALLEL_FROM))
    chunks = processes.batched(itertools.chain(head, iterator), CHUNK)
    if len(head) < PARALLEL_FROM:
        yield from (prepare_many(chunk) for chunk in chunks)
    else:
        yield from processes.ordered_map(prepare_many, chunks)


def _store_prepared(backend, prepared_rows) -> int:
    prepared = {}
    vocabulary: set[str] = set()
    for row, words in prepared_rows:
        prepared[row[0]] = row  # the last version of a document given twice wins
        vocabulary.update(words)
    rows = list(prepared.values())
    backend.upsert(rows)
    _written(backend, [r[0] for r in rows], vocabulary)
    return len(rows)


def _written(backend, ids: list[int], vocabulary) -> None:
    backend.log_change(ids)
    suggest.add_terms(backend.conn, vocabulary)
    engine.note_write(backend.conn)


def prepare_for_load(doc: Document, *, vendor: str) -> tuple[tuple, list[str], str | None]:
    """Return ``(row, vocabulary, tsv)`` of a document to bulk-load: its row (``ROW_COLUMNS``), its
    words for the did-you-mean vocabulary, and on ``vendor`` "postgresql" its full-text entry (else
    None). ORM-free and database-free: bulk importers call it in their helper processes."""
    row, vocabulary = prepare(doc)
    return row, vocabulary, tsvector_literal(row) if vendor == "postgresql" else None


def row_for(row: tuple, doc_id: int, facets: dict[str, list[str]] | None = None) -> tuple:
    """Return a prepared ``row`` as the row of document ``doc_id``, with ``facets`` (a Document's
    facets) in place of the row's own when given; the full-text entry does not depend on either."""
    if facets is None:
        return (doc_id, *row[1:])
    return (doc_id, *row[1:_FACETS_AT], facet_text(facets), *row[_FACETS_AT + 1:])


@contextlib.contextmanager
def bulk_session(tables: Sequence = ()):
    """Tune the default connection for a bulk load into the index and put it back afterwards.

    PostgreSQL: a larger GIN pending list and work memory meanwhile; at the end the pending list is
    merged into the index and the index's table and ``tables`` (the caller's models the load grew)
    get planner statistics where autovacuum has not given them yet. SQLite: a larger page cache.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name, value in POSTGRES_BULK_SETTINGS.items():
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for name in POSTGRES_BULK_SETTINGS:
                    cursor.execute(f"RESET {name}")
            if not connection.in_atomic_block:
                for_connection(connection).merge_pending()
            from .models import SearchDoc

            # Leave the tables the load grew with statistics, as autovacuum would (when it is on).
            bulk.keep_statistics([*tables, SearchDoc])
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def add_prepared(rows: list[tuple], vocabulary: Iterable[str], *, tsvs: list[str] | None = None, using=None) -> None:
    """Add the documents of new records, already prepared by ``prepare_for_load`` (in the caller's
    helper processes; ``row_for`` gives each its record id), inside the caller's transaction;
    ``tsvs`` are their full-text entries where the caller prepared those too (PostgreSQL).

    The ids must not be in the index yet (a new record's id): one that is fails the transaction.
    """
    if not rows:
        return
    backend = for_connection(using or connection)
    with transaction.atomic(using=backend.conn.alias, savepoint=False):
        backend.insert(rows, tsvs if backend.vendor == "postgresql" else None)
        _written(backend, [r[0] for r in rows], vocabulary)


def index_documents(docs: Iterable[Document], *, using=None) -> None:
    """Insert or replace ``docs`` in the index, inside the caller's transaction.

    ``using`` is a database connection other than the default one (tests comparing engines).
    """
    backend = for_connection(using or connection)
    # No savepoint: a failure fails the caller's transaction, which is what keeps the index whole.
    with transaction.atomic(using=backend.conn.alias, savepoint=False):
        for prepared in _prepared_chunks(docs):
            _store_prepared(backend, prepared)


def delete_documents(ids: Iterable[int], *, using=None) -> None:
    """Remove the documents ``ids`` from the index, inside the caller's transaction."""
    backend = for_connection(using or connection)
    with transaction.atomic(using=backend.conn.alias):
        for batch in processes.batched((int(i) for i in ids), BATCH_SIZE):
            backend.delete(batch)
            backend.log_change(batch)
            engine.note_write(backend.conn)


def rebuild(docs: Iterable[Document], *, total: int | None = None, progress: Callable[[int], object] | None = None) -> int:
    """Replace the whole index with ``docs`` in one transaction; return how many were indexed.

    ``progress`` is called with the number of documents of each stored batch (tqdm's ``update``).
    ``total`` is only a hint for the caller's progress bar and is not needed here.
    """
    backend = for_connection(connection)
    done = 0
    with transaction.atomic():
        backend.clear()
        engine.reset(backend.conn)
        for prepared in _prepared_chunks(docs):
            done += _store_prepared(backend, prepared)
            if progress is not None:
                progress(len(prepared))
    backend.optimise()
    return done


WARM_QUERY = "ห้องสมุด library"


def warm(*, using=None) -> bool:
    """Load what this process's first search would load, so that no reader waits for it: the in-memory facet
    values and years (docvalues: about 16 s at 1,000,000 records), then one search (the parser's and the
    Thai segmenter's tables, the engine's statements: 0.3 s more). True when the facet values are loaded;
    False when the index cannot use them (an empty index, or document ids beyond what the arrays keep)."""
    from . import docvalues
    from .documents import FACETS

    loaded = docvalues.current(for_connection(using or connection)) is not None
    search(WARM_QUERY, facets=FACETS, using=using)
    return loaded


def count() -> int:
    """Return the number of indexed documents."""
    from .models import SearchDoc

    return SearchDoc.objects.count()


def search(q: str, *, filters: dict[str, list[str]] | None = None, year_from: int | None = None,
           year_to: int | None = None, facets: list[str] | tuple = (), sort: str = "relevance",
           page: int = 1, page_size: int = 20, using=None) -> SearchResult:
    """Search the index; never raise for a bad query (``query_error`` says what is wrong)."""
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        page_size = min(500, max(1, int(page_size)))
    except (TypeError, ValueError):
        page_size = 20
    empty = SearchResult(hits=[], total=0, page=page, page_size=page_size,
                         facets={name: [] for name in facets or ()}, suggestions=[])
    try:
        node = query.parse(q if isinstance(q, str) else str(q or ""))
    except query.QueryError as exc:
        empty.query_error = str(exc)
        return empty
    if sort not in ("relevance", "newest", "title"):
        empty.query_error = _("Unknown sort order {sort!r}: use relevance, newest or title.").format(sort=sort)
        return empty
    clean_filters = {}
    for name, values in (filters or {}).items():
        values = [str(v) for v in (values if isinstance(values, list | tuple | set) else [values]) if str(v)]
        if name == "year":  # the index's year facet is the Common Era year; people may give either era
            values = [str(ce_year(v)) if _is_year(v) else v for v in values]
        if values:
            clean_filters[str(name)] = values
    try:
        year_from = ce_year(year_from) if year_from not in (None, "") else None
        year_to = ce_year(year_to) if year_to not in (None, "") else None
    except (TypeError, ValueError):
        empty.query_error = _("The year range must be years such as 2558 or 2015.")
        return empty
    backend = for_connection(using or connection)
    options = {"filters": clean_filters, "year_from": year_from, "year_to": year_to,
               "facets": [f for f in facets or () if isinstance(f, str)], "sort": sort, "page": page,
               "page_size": page_size}
    result, matched = engine.run(backend, node, **options)
    if matched == 0 and node is not None and (words := _plain_reading(q, node)) is not None:
        # Pasted text's punctuation read as operators found nothing: search its words.
        plain_result, plain_matched = engine.run(backend, words, **options)
        if plain_matched:
            plain_result.read_as_words = True
            return plain_result
    if matched == 0 and node is not None and page == 1:
        result.suggestions = suggest.suggestions(backend, node, q)
    return result


def ce_year(value) -> int:
    """Return the Common Era year of ``value``, a year of either era: from FIRST_BE_YEAR (2400) on it
    is a Buddhist Era year (BE = CE + 543). Thai digits are read ("๒๕๕๕"); raise ValueError if not a year."""
    year = int(str(value).strip().translate(_THAI_DIGITS))
    return year - BE_OFFSET if year >= FIRST_BE_YEAR else year


def _is_year(value: str) -> bool:
    return value.strip().translate(_THAI_DIGITS).isdigit()


def _plain_reading(q, node):
    """Return the tree of ``q`` with its punctuation read as text, or None when it is the same as ``node``."""
    try:
        words = query.parse(q if isinstance(q, str) else str(q or ""), plain=True)
    except query.QueryError:
        return None
    return words if words is not None and words != node else None
