"""Turn catalog records into search documents (SEARCH-CONTRACT.md) and hand them to the search facade.

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

from .marc.extract import Extracted, extract
from .models import Item, Record

AVAILABLE = "available"
UNAVAILABLE = "unavailable"


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


def build_document(record_id: int, ex: Extracted, holdings: list[tuple[str, str]]) -> Document:
    """Return the search document of one record from its extracted fields and its items."""
    vern = ex.vernacular
    titles = [ex.title, *ex.other_titles, *vern.get("245", []), *vern.get("246", []), *vern.get("240", []),
              *vern.get("130", [])]
    authors = [*ex.authors, ex.responsibility]
    for tag in ("100", "110", "111", "700", "710", "711"):
        authors.extend(vern.get(tag, []))
    subjects = list(ex.subjects)
    for tag, values in vern.items():
        if tag.startswith("6"):
            subjects.extend(values)
    series = [*ex.series, *vern.get("490", []), *vern.get("830", [])]
    other = [ex.publisher, ex.place, *vern.get("260", []), *vern.get("264", []), ex.edition, ex.call_number,
             ex.classification, *ex.notes]
    branches = sorted({code for code, _status in holdings})
    available_at = sorted({code for code, status in holdings if status == Item.Status.AVAILABLE})
    facets = {
        "branch": branches,
        "material_type": [ex.material_type],
        "language": [ex.language] if ex.language else [],
        "year": [str(ex.year)] if ex.year else [],
        "availability": [AVAILABLE if available_at else UNAVAILABLE] + [f"{AVAILABLE}:{c}" for c in available_at],
    }
    return Document(
        id=record_id,
        title="\n".join(dict.fromkeys(t for t in titles if t)),
        author="\n".join(dict.fromkeys(a for a in authors if a)),
        subject="\n".join(dict.fromkeys(subjects)),
        isbn=list(dict.fromkeys([*ex.isbns, *ex.raw_identifiers])),
        series="\n".join(dict.fromkeys(s for s in series if s)),
        other="\n".join(o for o in other if o),
        facets=facets,
        sort_title=ex.sort_title or ex.title,
        year=ex.year,
    )


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
