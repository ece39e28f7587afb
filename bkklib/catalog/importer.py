"""Bulk MARC import: read a file, match duplicates, store records, items and index documents in batches.

The CPU-heavy half of the work (decoding, normalising, deriving fields, segmenting the search
words: ``pipeline.prepare``) runs in helper processes on every core for ISO 2709 files of at least
PARALLEL_FROM records, while this process matches duplicates and writes (multi-row INSERTs on
SQLite, COPY on PostgreSQL). Each batch of records is one transaction together with its
identifiers, items and search documents, so the database and the index never disagree. When a
batch fails as a whole, it is replayed record by record, each in its own savepoint, so one bad
record is reported and skipped while the others are kept. Nothing is ever half-stored: a record,
its items and its document are written together or not at all.
"""
from __future__ import annotations

import io
import itertools
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from bkklib.core import bulk, metrics, processes
from bkklib.network.models import Branch
from bkklib.search import index

from . import indexing, pipeline
from .marc import encoding as marc_encoding
from .marc import reader as marc_reader
from .marc.messages import Message as _
from .marc.messages import translated
from .models import ImportJob, Item, ItemType, Record, RecordIdentifier

BATCH_SIZE = 1000
# ISO 2709 files of at least this many records are prepared in helper processes, CHUNK records a task.
PARALLEL_FROM = 2000
CHUNK = 250
POLICIES = ("skip", "overlay", "new")
KEY_LABELS = {"control": "003+001", "system": "035", "isbn": "ISBN"}
ITEM_COLUMNS = ("record_id", *pipeline.ITEM_VALUE_COLUMNS, "status_changed_at", "is_demo")


@dataclass
class ReportLine:
    """One line of an import report about one record."""

    position: int
    control_number: str
    outcome: str  # "failed", "skipped", "repaired", "overlaid", "item"
    tag: str
    reason: str
    file: int = 0  # index in ImportReport.files

    def __str__(self):
        """The line in the active language (Thai by default): "#12 001 b123: ซ่อมแล้ว [245]: ..."."""
        ident = f" 001 {self.control_number}" if self.control_number else ""
        where = f" [{self.tag}]" if self.tag else ""
        return f"#{self.position}{ident}: {OUTCOMES.get(self.outcome, self.outcome)}{where}: {translated(self.reason)}"


# The outcomes of report lines, as the report shows them.
OUTCOMES = {"failed": pgettext_lazy("import report", "failed"), "skipped": pgettext_lazy("import report", "skipped"),
            "repaired": pgettext_lazy("import report", "repaired"), "overlaid": pgettext_lazy("import report", "overlaid"),
            "item": pgettext_lazy("import report", "item")}


@dataclass
class ImportReport:
    """What an import did: counters, per-record lines and the encodings found."""

    files: list[str] = field(default_factory=list)
    read: int = 0
    created: int = 0
    overlaid: int = 0
    skipped: int = 0
    failed: int = 0
    items_created: int = 0
    lines: list[ReportLine] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    encodings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    record_ids: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # the file position of each of record_ids

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def add(self, result, outcome: str, reason: str, tag: str = "") -> None:
        self.lines.append(ReportLine(result.position, result.control_number, outcome, tag, reason,
                                     max(0, len(self.files) - 1)))

    def summary(self) -> str:
        """The counters in the active language."""
        return gettext("read {read}, created {created}, overlaid {overlaid}, skipped {skipped}, failed {failed}; "
                       "items created {items}").format(read=self.read, created=self.created, overlaid=self.overlaid,
                                                       skipped=self.skipped, failed=self.failed, items=self.items_created)

    def text(self, *, details: bool = True) -> str:
        """Return the report as plain text in the active language (what the CLI prints and the staff UI
        offers for download); without ``details``, only the file problems, encodings and summary."""
        out = [gettext("bkklib MARC import: {files}").format(files=", ".join(self.files))]
        out += [gettext("FILE: {problem}").format(problem=translated(e)) for e in self.file_errors]
        if self.encodings:
            out.append(gettext("encodings: {counts}").format(counts=", ".join(
                f"{translated(marc_encoding.LABELS.get(k, k))} {v}" for k, v in sorted(self.encodings.items()))))
        by_file = sorted(self.lines, key=lambda line: (line.file, line.position))
        for number, name in enumerate(self.files if details else ()):
            lines = [str(line) for line in by_file if line.file == number]
            if lines and len(self.files) > 1:
                out.append(f"== {name}")
            out += lines
        out.append(gettext("summary: {counts}; {seconds} s, {rate} records/s").format(
            counts=self.summary(), seconds=f"{self.seconds:.1f}", rate=f"{self.rate:,.0f}"))
        return "\n".join(out) + "\n"


def _control_key(keys: list[tuple[str, str]]) -> str | None:
    return next((value for kind, value in keys if kind == "control"), None)


def _another_record_of_the_source(control: str | None, other: str | None, *, same_import: bool) -> bool:
    """Return whether two records that share an ISBN are still two records: their source numbers them apart
    (the same 003, different 001s). Sets, reprints and test files share ISBNs between records; a record
    exported twice keeps its 001. Within one import a missing 003 is the same source (the same file)."""
    if not control or not other:
        return False
    agency, number = control.split("|", 1)
    other_agency, other_number = other.split("|", 1)
    if not agency and not same_import:
        return False  # two systems that both leave 003 out: the ISBN decides
    return agency == other_agency and number != other_number


class Importer:
    """One import run over one or more files; see ``import_marc``."""

    def __init__(self, *, on_duplicate: str = "skip", branch: Branch | None = None, job: ImportJob | None = None,
                 user=None, batch_size: int = BATCH_SIZE, demo: bool = False,
                 progress: Callable[[int, int], object] | None = None, transform: Callable | None = None):
        if on_duplicate not in POLICIES:
            raise ValueError(f"on_duplicate must be one of {POLICIES}")
        self.policy = on_duplicate
        self.job = job
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.batch_size = batch_size
        self.demo = demo
        self.progress = progress
        # Rewrites each record read (a ReadResult) before it is prepared; picklable (helpers run it).
        self.transform = transform
        self.report = ImportReport()
        self.context = pipeline.Context(
            branches={code.lower(): (pk, code) for pk, code in Branch.objects.values_list("pk", "code")},
            item_types={code.lower(): pk for pk, code in ItemType.objects.values_list("pk", "code")},
            default_branch=(branch.pk, branch.code) if branch is not None else None,
            vendor=connection.vendor,
        )
        self.bytes_done = 0
        self._first_created = math.inf  # the lowest id this import created (ids grow: later ones are its own)

    # --- reading --------------------------------------------------------------------------------

    def run(self, stream, *, name: str = "", format: str = "auto", encoding: str = "auto") -> ImportReport:
        """Import every record of ``stream`` (a binary file object); return the report (also kept on self)."""
        started = time.perf_counter()
        self.report.files.append(name or getattr(stream, "name", "") or "-")
        batch: list[pipeline.Prepared] = []
        base = self.bytes_done
        try:
            for prepared in self._prepared(stream, name=name, format=format, encoding=encoding):
                self.report.read += 1
                self.bytes_done = base + prepared.end
                if self._accept(prepared):
                    batch.append(prepared)
                if len(batch) >= self.batch_size:
                    self._flush(batch)
                    batch = []
                elif self.progress and self.report.read % 100 == 0:
                    self.progress(self.report.read, self.bytes_done)
        except marc_reader.UnsupportedFile as exc:
            self.report.file_errors.append(_("{file}: {problem}", file=name, problem=exc.args[0]))
        except LookupError as exc:  # an unknown --encoding
            self.report.file_errors.append(_("{file}: unknown encoding ({problem})", file=name, problem=str(exc)))
        if batch:
            self._flush(batch)
        if self.report.read == 0 and not self.report.file_errors:
            self.report.file_errors.append(_("{file}: no MARC records in the file", file=name))
        self.report.seconds += time.perf_counter() - started
        if self.progress:
            self.progress(self.report.read, self.bytes_done)
        return self.report

    def _prepared(self, stream, *, name: str, format: str, encoding: str) -> Iterator[pipeline.Prepared]:
        """Yield every record of the file prepared for storing, in file order."""
        stream, format, forced = marc_reader.prepare_stream(stream, format=format, encoding=encoding, name=name)
        ctx = self.context
        if format != "iso2709":
            for result in marc_reader.open_records(stream, format=format, encoding=encoding, name=name):
                yield pipeline.prepare(self.transform(result) if self.transform else result, ctx)
            return
        records = marc_reader.iter_iso2709_records(stream)
        head = list(itertools.islice(records, PARALLEL_FROM))
        tasks = ((chunk, forced, ctx, self.transform) for chunk in processes.batched(itertools.chain(head, records), CHUNK))
        # A small file is prepared here: starting the helpers would cost more than they save.
        if len(head) < PARALLEL_FROM:
            prepared_chunks = map(pipeline.prepare_iso2709, tasks)
        else:
            # The helpers work while this process stores a batch: two batches' worth of tasks may be out
            # (with only a few, they finished those and waited for the batch to be written).
            ahead = 2 * (self.batch_size // CHUNK + processes.workers()) + 1
            prepared_chunks = processes.ordered_map(pipeline.prepare_iso2709, tasks, ahead=ahead)
        for prepared in prepared_chunks:
            yield from prepared

    def _accept(self, prepared: pipeline.Prepared) -> bool:
        """Return True when the record is ready for storing; report why it is not otherwise."""
        report = self.report
        if prepared.encoding:
            report.encodings[prepared.encoding] = report.encodings.get(prepared.encoding, 0) + 1
        if prepared.error:
            report.failed += 1
            report.add(prepared, "failed", prepared.error, prepared.tag)
            return False
        if prepared.skip_reason:
            report.skipped += 1
            report.add(prepared, "skipped", prepared.skip_reason)
            return False
        return True

    # --- storing --------------------------------------------------------------------------------

    def _snapshot(self) -> tuple:
        r = self.report
        return (r.created, r.overlaid, r.skipped, r.failed, r.items_created, len(r.lines), len(r.record_ids),
                len(r.positions))

    def _restore(self, snapshot: tuple) -> None:
        r = self.report
        r.created, r.overlaid, r.skipped, r.failed, r.items_created = snapshot[:5]
        del r.lines[snapshot[5]:]
        del r.record_ids[snapshot[6]:]
        del r.positions[snapshot[7]:]

    def _flush(self, batch: list[pipeline.Prepared]) -> None:
        before = self._snapshot()
        try:
            with transaction.atomic():
                self._store(batch)
        except DatabaseError:
            # Forget what the failed batch reported and replay it one record per savepoint.
            self._restore(before)
            for prepared in batch:
                one = self._snapshot()
                try:
                    with transaction.atomic():
                        self._store([prepared])
                except DatabaseError as exc:
                    self._restore(one)
                    self.report.failed += 1
                    self.report.add(prepared, "failed", _("the database refused the record: {problem}",
                                                          problem=str(exc)))
        # The next batches' duplicate look-ups need statistics of the identifiers (PostgreSQL): gathered
        # again once the table has gained 20,000 rows more than it had then (so about when it doubles).
        bulk.keep_statistics([RecordIdentifier], threshold=IDENTIFIER_STATISTICS_FROM, scale=1.0)
        if self.progress:
            self.progress(self.report.read, self.bytes_done)
        if self.job is not None:
            self._save_progress()

    def _save_progress(self) -> None:
        r = self.report
        ImportJob.objects.filter(pk=self.job.pk).update(
            read=r.read, created=r.created, overlaid=r.overlaid, skipped=r.skipped, failed=r.failed,
            items_created=r.items_created, done_bytes=self.bytes_done, updated_at=timezone.now(),
        )

    def _existing_matches(self, batch: list[pipeline.Prepared]) -> dict[tuple[str, str], int]:
        wanted: dict[str, set[str]] = {}
        for prepared in batch:
            for kind, value in prepared.keys:
                wanted.setdefault(kind, set()).add(value)
        found: dict[tuple[str, str], int] = {}
        table = RecordIdentifier._meta.db_table
        with connection.cursor() as cursor:  # hand-written: the ORM's compilation of 900-value IN lists costs more
            for kind, values in wanted.items():
                values = sorted(values)
                for start in range(0, len(values), 900):
                    chunk = values[start:start + 900]
                    cursor.execute(f"SELECT value, record_id FROM {table} WHERE kind = %s AND value IN "
                                   f"({', '.join(['%s'] * len(chunk))}) ORDER BY record_id", [kind, *chunk])
                    for value, record_id in cursor.fetchall():
                        found.setdefault((kind, value), record_id)
        return found

    def _controls_of(self, existing: dict[tuple[str, str], int]) -> dict[int, str]:
        """Return the 003+001 key of each record matched on an ISBN (those that have one)."""
        ids = sorted({record_id for (kind, _value), record_id in existing.items() if kind == "isbn"})
        out: dict[int, str] = {}
        for start in range(0, len(ids), 900):
            out.update(RecordIdentifier.objects.filter(kind="control", record_id__in=ids[start:start + 900])
                       .values_list("record_id", "value"))
        return out

    def _store(self, batch: list[pipeline.Prepared]) -> None:
        report = self.report
        existing = self._existing_matches(batch) if self.policy != "new" else {}
        in_batch: dict[tuple[str, str], pipeline.Prepared] = {}
        to_create: list[pipeline.Prepared] = []
        to_overlay: list[tuple[pipeline.Prepared, int]] = []
        overlay_ids: set[int] = set()
        controls = self._controls_of(existing) if existing else {}
        for prepared in batch:
            match = None
            if self.policy != "new":
                control = _control_key(prepared.keys)
                for key in prepared.keys:
                    if key in existing:
                        other = controls.get(existing[key])
                        if key[0] == "isbn" and _another_record_of_the_source(
                                control, other, same_import=existing[key] >= self._first_created):
                            continue
                        match = ("db", existing[key], key)
                        break
                    if key in in_batch:
                        if key[0] == "isbn" and _another_record_of_the_source(
                                control, _control_key(in_batch[key].keys), same_import=True):
                            continue
                        match = ("batch", in_batch[key], key)
                        break
            label = f"{KEY_LABELS[match[2][0]]} {match[2][1]}" if match else ""
            if match and self.policy == "skip":
                report.skipped += 1
                if match[0] == "db":
                    report.add(prepared, "skipped", _("duplicate of record {record} (matched on {key})",
                                                      record=match[1], key=label))
                else:
                    report.add(prepared, "skipped", _("duplicate of an earlier record of this import (matched on {key})",
                                                      key=label))
                continue
            if match and self.policy == "overlay":
                if match[0] == "db" and match[1] not in overlay_ids:
                    overlay_ids.add(match[1])
                    to_overlay.append((prepared, match[1]))
                    self._note_repairs(prepared)
                    continue
                report.skipped += 1
                report.add(prepared, "skipped", _("a later copy of a record already overlaid here ({key})", key=label))
                continue
            to_create.append(prepared)
            for key in prepared.keys:
                in_batch.setdefault(key, prepared)
            self._note_repairs(prepared)

        created = self._create(to_create)
        self._overlay(to_overlay)
        made = self._create_items(created + to_overlay)
        # A new record's search row was prepared with the facets of all its items: a record some of whose
        # items were not made (a barcode taken) gets its facets from the database instead (the tsvector
        # never depends on them). Overlaid records keep their items: they are reindexed from the database.
        redo = {record_id for prepared, record_id in created if made.get(record_id, 0) != len(prepared.items)}
        holdings = indexing.holdings_of(redo) if redo else {}
        rows, tsvs, vocabulary = [], [], set()
        for prepared, record_id in created:
            rows.append(pipeline.search_row(prepared, record_id, holdings.get(record_id, []) if record_id in redo
                                            else None))
            tsvs.append(prepared.tsv)
            vocabulary.update(prepared.vocabulary)
        index.add_prepared(rows, vocabulary, tsvs=tsvs if all(t is not None for t in tsvs) else None)
        if to_overlay:
            indexing.reindex(record_id for _p, record_id in to_overlay)

    def _note_repairs(self, prepared: pipeline.Prepared) -> None:
        for note in prepared.notes:
            self.report.add(prepared, "repaired", note)

    def _create(self, batch: list[pipeline.Prepared]) -> list[tuple[pipeline.Prepared, int]]:
        if not batch:
            return []
        # No history row per imported record: the ImportJob (who, when, which file, the report) and the
        # record's import_job/created_by/created_at are the audit of a bulk creation; edits are historised.
        extra = (self.demo, self.user.pk if self.user else None, self.job.pk if self.job else None)
        ids = bulk.insert_tuples(Record, (*pipeline.RECORD_COLUMNS, "is_demo", "created_by_id", "import_job_id"),
                                 [(*p.values, *extra) for p in batch], returning=True, raw=pipeline.JSON_COLUMNS)
        if len(ids) != len(batch):  # a database without RETURNING
            raise DatabaseError("bulk insert did not return primary keys")
        bulk.insert_tuples(RecordIdentifier, ("record_id", "kind", "value"), [
            (record_id, kind, value) for record_id, p in zip(ids, batch, strict=True) for kind, value in
            dict.fromkeys(p.keys)])
        self.report.created += len(ids)
        self._first_created = min(self._first_created, *ids)
        self.report.record_ids.extend(ids)
        self.report.positions.extend(p.position for p in batch)
        return list(zip(batch, ids, strict=True))

    def _overlay(self, pairs: list[tuple[pipeline.Prepared, int]]) -> None:
        if not pairs:
            return
        records = Record.objects.in_bulk([rid for _p, rid in pairs])
        for prepared, record_id in pairs:
            record = records[record_id]
            for name, value in prepared.model_fields().items():
                setattr(record, name, value)
            record._change_reason = "MARC import (overlay)"
            if self.user:
                record._history_user = self.user
            record.save()
            RecordIdentifier.objects.filter(record_id=record_id).delete()
            RecordIdentifier.objects.bulk_create(
                [RecordIdentifier(record_id=record_id, kind=k, value=v) for k, v in dict.fromkeys(prepared.keys)])
            self.report.overlaid += 1
            self.report.record_ids.append(record_id)
            self.report.positions.append(prepared.position)
            self.report.add(prepared, "overlaid", _("record {record} replaced by the incoming record", record=record_id))

    def _create_items(self, rows: list[tuple[pipeline.Prepared, int]]) -> dict[int, int]:
        """Create the records' items; return how many were made per record id."""
        for prepared, _record_id in rows:
            for tag, reason in prepared.item_problems:
                self.report.add(prepared, "item", reason, tag)
        wanted = [(p, rid, item) for p, rid in rows for item in p.items]
        if not wanted:
            return {}
        barcodes = [item.barcode for _p, _rid, item in wanted]
        taken = set()
        with connection.cursor() as cursor:
            for start in range(0, len(barcodes), 900):
                chunk = barcodes[start:start + 900]
                cursor.execute(f"SELECT barcode FROM {Item._meta.db_table} WHERE barcode IN "
                               f"({', '.join(['%s'] * len(chunk))})", chunk)
                taken.update(row[0] for row in cursor.fetchall())
        # The stamp in the database's form once, not through the field for each of thousands of items.
        now = Item._meta.get_field("status_changed_at").get_db_prep_save(timezone.now(), connection)
        values, made = [], {}
        for prepared, record_id, item in wanted:
            if item.barcode in taken:
                self.report.add(prepared, "item", _("barcode {barcode} already exists: item not created",
                                                    barcode=item.barcode), item.tag)
                continue
            taken.add(item.barcode)
            values.append((record_id, *item.values(), now, self.demo))
            made[record_id] = made.get(record_id, 0) + 1
        if values:
            bulk.insert_tuples(Item, ITEM_COLUMNS, values, raw=(*pipeline.ITEM_TEXT_COLUMNS, "status_changed_at"))
            self.report.items_created += len(values)
        return made


def import_marc(paths_or_streams: Iterable, *, format: str = "auto", encoding: str = "auto",
                branch: Branch | None = None, on_duplicate: str = "skip", job: ImportJob | None = None,
                user=None, batch_size: int = BATCH_SIZE, demo: bool = False,
                progress: Callable[[int, int], object] | None = None, transform: Callable | None = None) -> ImportReport:
    """Import MARC files (paths or binary streams) into the catalog and return the report.

    ``format`` is auto|iso2709|marcxml|json|mrk, ``encoding`` auto or a charset name (ISO 2709),
    ``branch`` receives items from holdings fields that name no known branch, ``on_duplicate``
    skip|overlay|new decides what happens to a record that matches one in the catalog on 003+001,
    035 or ISBN. A bad record is reported and never stops the rest. ``transform`` (a picklable callable)
    rewrites each record read before it is prepared: the migration app maps ULibM/Koha holdings with it.
    """
    importer = Importer(on_duplicate=on_duplicate, branch=branch, job=job, user=user, batch_size=batch_size,
                        demo=demo, progress=progress, transform=transform)
    # The search index's bulk session tunes the connection for the load and leaves the catalog's
    # tables it grew, and its own, with planner statistics.
    with index.bulk_session(tables=[Record, RecordIdentifier, Item]):
        _import_all(importer, paths_or_streams, format=format, encoding=encoding)
    metrics.marc_import(importer.report)  # import rates on /metrics (core/metrics.py)
    return importer.report


# PostgreSQL: identifiers the table may gain, beyond as many as it had, before the import gathers
# its planner statistics again.
IDENTIFIER_STATISTICS_FROM = 20_000


def _import_all(importer: Importer, paths_or_streams: Iterable, *, format: str, encoding: str) -> None:
    for source in paths_or_streams:
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as stream:
                importer.run(stream, name=os.path.basename(os.fspath(source)), format=format, encoding=encoding)
        elif isinstance(source, bytes):
            importer.run(io.BytesIO(source), name="-", format=format, encoding=encoding)
        else:
            importer.run(source, name=getattr(source, "name", "-"), format=format, encoding=encoding)
