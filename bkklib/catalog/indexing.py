"""Turn catalog records into search documents (search contract: docs/api/search.md) and hand them to the facade.

The catalog is the only app that knows what a record means; ``bkklib.search`` only sees
``Document`` objects. Every change to a record or to an item's status or branch calls
``reindex`` inside the same transaction, so the index is never stale.
"""
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection

from bkklib.network.models import Branch
from bkklib.search import index
from bkklib.search.documents import Document

from .marc.extract import extract
from .models import Item, Record
from .pipeline import build_document

__all__ = ["build_document", "documents_for", "holdings_of", "iter_all_documents", "reindex"]


def holdings_of(record_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Return ``{record_id: [(branch_code, status), ...]}`` for the records' items, in one query."""
    holdings: dict[int, list[tuple[str, str]]] = defaultdict(list)
    ids = list(record_ids)
    with connection.cursor() as cursor:  # hand-written: every loan and return asks it (ORM compile > query)
        for start in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
            chunk = ids[start:start + 900]
            cursor.execute(
                f"SELECT i.record_id, b.code, i.status FROM {Item._meta.db_table} i "
                f"JOIN {Branch._meta.db_table} b ON b.id = i.branch_id "
                f"WHERE i.record_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            for record_id, branch_code, status in cursor.fetchall():
                holdings[record_id].append((branch_code, status))
    return holdings


def documents_for(records: Iterable[Record]) -> Iterator[Document]:
    """Yield the documents of ``records`` (one items query per batch given)."""
    records = list(records)
    holdings = holdings_of(r.pk for r in records)
    for record in records:
        yield build_document(record.pk, extract(record.marc), holdings.get(record.pk, []))


def reindex(record_ids: Iterable[int]) -> None:
    """Rebuild the documents of ``record_ids`` in the caller's transaction (deleted ids are removed)."""
    ids = sorted(set(record_ids))
    if not ids:
        return
    records = list(Record.objects.filter(pk__in=ids).only("pk", "marc"))
    index.index_documents(documents_for(records))
    gone = set(ids) - {r.pk for r in records}
    if gone:
        index.delete_documents(gone)


def iter_all_documents(batch_size: int = 2000) -> Iterator[Document]:
    """Yield the document of every record, in primary-key order, reading in batches."""
    last = 0
    while True:
        batch = list(Record.objects.filter(pk__gt=last).order_by("pk").only("pk", "marc")[:batch_size])
        if not batch:
            return
        yield from documents_for(batch)
        last = batch[-1].pk
