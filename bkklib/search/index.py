"""The search facade the catalog codes against (SEARCH-CONTRACT.md); picks the backend by DB vendor.

Matching runs in the database (FTS5 on SQLite, tsvector + GIN on PostgreSQL). Filters, facet
counts, ranking and sorting are computed here, the same way for both engines, from the matched
ids and the index's own per-document data (see ranking.py, docvalues.py); so both engines return
the same hits in the same order.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import engine, query, ranking, suggest, text
from .backends import for_connection
from .backends.base import MAX_WORDS_PER_COLUMN
from .documents import Document, SearchResult

BATCH_SIZE = 2000
FACET_NAMES = ("branch", "material_type", "language", "year", "availability")
_CONTROL = re.compile(r"[\t\r\n]+")


def _join(words: list[str]) -> str:
    return " ".join(words[:MAX_WORDS_PER_COLUMN])


def _field_runs(value: str) -> list[list[str]]:
    return [run for line in value.split("\n") if line.strip() for run in text.line_runs(line)]


def prepare(doc: Document) -> tuple[tuple, list[str]]:
    """Return the row stored for ``doc`` (backends.base.ROW_COLUMNS order) and its vocabulary words."""
    title_keys, title_runs = ranking.title_keys(doc.title or "")
    author_runs = _field_runs(doc.author or "")
    subject_runs = _field_runs(doc.subject or "")
    series_runs = _field_runs(doc.series or "")
    rest_runs = series_runs + _field_runs(doc.other or "")
    title = [w for run in title_runs for w in run]
    author = [w for run in author_runs for w in run]
    subject = [w for run in subject_runs for w in run]
    rest = [w for run in rest_runs for w in run]
    vocabulary = title + author + subject + [w for run in series_runs for w in run]
    keys = []
    for value in doc.isbn or ():
        key = query.identifier_key(value)  # ISBN-13 digits (the catalog's form) take a quick path
        if key is None:
            digits = re.sub(r"[^0-9xX]", "", value or "").lower()
            key = "isbn" + digits if digits else None
        if key and key not in keys:
            keys.append(key)
    facet_lines = []
    for name, values in (doc.facets or {}).items():
        name = _CONTROL.sub(" ", name)
        for value in values or ():
            value = str(value)
            if "\t" in value or "\n" in value or "\r" in value:
                value = _CONTROL.sub(" ", value)
            value = value.strip()
            if value:
                facet_lines.append(f"{name}\t{value}")
    year = doc.year
    if year is None:
        year_values = (doc.facets or {}).get("year") or []
        year = int(year_values[0]) if year_values and str(year_values[0]).isdigit() else None
    row = (
        int(doc.id),
        _join(title), _join(text.compounds(title_runs)),
        _join(author), _join(text.compounds(author_runs)),
        _join(subject), _join(text.compounds(subject_runs)),
        # Publishers, notes and call numbers: words only (two-word runs there need no compounds).
        _join(rest), "",
        " ".join(keys + title_keys),
        "\n".join(dict.fromkeys(facet_lines)),
        year,
        text.sort_key(doc.sort_title or doc.title),
    )
    return row, vocabulary


def _batches(items: Iterable, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _store(backend, docs: list[Document]) -> int:
    prepared = {}
    vocabulary: set[str] = set()
    for doc in docs:
        row, words = prepare(doc)
        prepared[row[0]] = row  # the last version of a document given twice wins
        vocabulary.update(words)
    rows = list(prepared.values())
    backend.upsert(rows)
    backend.log_change([r[0] for r in rows])
    suggest.add_terms(backend.conn, vocabulary)
    engine.note_write(backend.conn)
    return len(rows)


def index_documents(docs: Iterable[Document], *, using=None) -> None:
    """Insert or replace ``docs`` in the index, inside the caller's transaction.

    ``using`` is a database connection other than the default one (tests comparing engines).
    """
    backend = for_connection(using or connection)
    with transaction.atomic(using=backend.conn.alias):
        for batch in _batches(docs, BATCH_SIZE):
            _store(backend, batch)


def delete_documents(ids: Iterable[int], *, using=None) -> None:
    """Remove the documents ``ids`` from the index, inside the caller's transaction."""
    backend = for_connection(using or connection)
    with transaction.atomic(using=backend.conn.alias):
        for batch in _batches((int(i) for i in ids), BATCH_SIZE):
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
        for batch in _batches(docs, BATCH_SIZE):
            done += _store(backend, batch)
            if progress is not None:
                progress(len(batch))
    backend.optimise()
    return done


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
        if values:
            clean_filters[str(name)] = values
    try:
        year_from = int(year_from) if year_from not in (None, "") else None
        year_to = int(year_to) if year_to not in (None, "") else None
    except (TypeError, ValueError):
        empty.query_error = _("The year range must be years such as 2015.")
        return empty
    backend = for_connection(using or connection)
    result, matched = engine.run(
        backend, node, filters=clean_filters, year_from=year_from, year_to=year_to,
        facets=[f for f in facets or () if isinstance(f, str)], sort=sort, page=page, page_size=page_size,
    )
    if matched == 0 and node is not None and page == 1:
        result.suggestions = suggest.suggestions(backend, node, q)
    return result
