"""MARC export: records as ISO 2709 (UTF-8) or MARCXML, chosen by a search query or all of them."""
from collections.abc import Iterator
from dataclasses import dataclass, field

from bkklib.search import index

from .marc import writer
from .models import Record

FORMATS = ("iso2709", "marcxml")
PAGE = 500


@dataclass
class ExportReport:
    """How many records an export wrote, and which it could not write (and why)."""

    written: int = 0
    problems: list[str] = field(default_factory=list)


def ids_for_query(query: str) -> Iterator[int]:
    """Yield the ids of every record the search ``query`` finds, in relevance order."""
    page = 1
    while True:
        result = index.search(query, page=page, page_size=PAGE)
        if result.query_error:
            raise ValueError(result.query_error)
        yield from (hit.id for hit in result.hits)
        if page * PAGE >= result.total or not result.hits:
            return
        page += 1


def iter_records(ids: list[int] | None = None, *, batch: int = 1000) -> Iterator[Record]:
    """Yield records (only id and MARC loaded): those of ``ids`` in that order, or all by id."""
    if ids is None:
        last = 0
        while True:
            rows = list(Record.objects.filter(pk__gt=last).order_by("pk").only("pk", "marc")[:batch])
            if not rows:
                return
            yield from rows
            last = rows[-1].pk
    else:
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            by_id = Record.objects.only("pk", "marc").in_bulk(chunk)
            yield from (by_id[i] for i in chunk if i in by_id)


def export(out, *, format: str = "iso2709", query: str | None = None, ids: list[int] | None = None,
           progress=None) -> ExportReport:
    """Write records to the binary stream ``out``; return what was written and what was not."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    if query:
        ids = list(ids_for_query(query))
    report = ExportReport()
    if format == "marcxml":
        out.write(writer.XML_HEADER.encode("utf-8"))
    for record in iter_records(ids):
        if format == "iso2709":
            try:
                out.write(writer.to_iso2709(record.marc))
            except writer.ExportError as exc:
                report.problems.append(f"record {record.pk}: {exc}")
                continue
        else:
            out.write(writer.to_marcxml_record(record.marc).encode("utf-8"))
        report.written += 1
        if progress:
            progress(1)
    if format == "marcxml":
        out.write(writer.XML_FOOTER.encode("utf-8"))
    return report
