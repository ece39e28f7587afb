"""Bulk MARC import: read a file, match duplicates, store records, items and index documents in batches.

Each batch of records is one transaction together with its identifiers, items and search
documents, so the database and the index never disagree. When a batch fails as a whole, it is
replayed record by record, each in its own savepoint, so one bad record is reported and skipped
while the others are kept. Nothing is ever half-stored: a record, its items and its document are
written together or not at all.
"""
from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import DatabaseError, transaction
from django.utils import timezone

from bkklib.core import bulk
from bkklib.network.models import Branch
from bkklib.search import index

from . import indexing
from .marc import data_fields
from .marc import reader as marc_reader
from .marc.extract import Extracted, extract, identifiers
from .marc.validate import normalise, repair_leader
from .models import BARCODE_PATTERN, ImportJob, Item, ItemType, Record, RecordIdentifier

BATCH_SIZE = 1000
DEFAULT_ITEM_TYPE = "book"
POLICIES = ("skip", "overlay", "new")
KEY_LABELS = {"control": "003+001", "system": "035", "isbn": "ISBN"}


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
        ident = f" 001 {self.control_number}" if self.control_number else ""
        where = f" [{self.tag}]" if self.tag else ""
        return f"#{self.position}{ident}: {self.outcome}{where}: {self.reason}"


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
        return (f"read {self.read}, created {self.created}, overlaid {self.overlaid}, skipped {self.skipped}, "
                f"failed {self.failed}; items created {self.items_created}")

    def text(self) -> str:
        """Return the report as plain text (what the CLI prints and the staff UI offers for download)."""
        out = [f"bkklib MARC import: {', '.join(self.files)}"]
        out += [f"FILE: {e}" for e in self.file_errors]
        if self.encodings:
            out.append("encodings: " + ", ".join(f"{marc_reader.enc.LABELS.get(k, k)} {v}"
                                                 for k, v in sorted(self.encodings.items())))
        by_file = sorted(self.lines, key=lambda line: (line.file, line.position))
        for number, name in enumerate(self.files):
            lines = [str(line) for line in by_file if line.file == number]
            if lines and len(self.files) > 1:
                out.append(f"== {name}")
            out += lines
        out.append(f"summary: {self.summary()}; {self.seconds:.1f} s, {self.rate:,.0f} records/s")
        return "\n".join(out) + "\n"


@dataclass
class Pending:
    """A record read from the file, waiting for its batch."""

    result: marc_reader.ReadResult
    marc: dict
    extracted: Extracted
    keys: list[tuple[str, str]]
    items: list[dict]


class Holdings:
    """Turn 852/952 holdings fields into item rows (branch and item type looked up once)."""

    def __init__(self, default_branch: Branch | None):
        self.default_branch = default_branch
        self.branches = {b.code.lower(): b for b in Branch.objects.all()}
        self.item_types = {t.code.lower(): t for t in ItemType.objects.all()}

    def items_of(self, marc: dict, notes: list[str]) -> list[dict]:
        items = []
        for tag, fld in data_fields(marc, "952", "852"):
            sub = {}
            for s in fld.get("subfields", []):
                for code, value in s.items():
                    sub.setdefault(code, value.strip())
            if tag == "952":  # Koha: $p barcode, $a home branch, $b holding branch, $o call number, $y type
                barcode, branch_code = sub.get("p", ""), sub.get("b") or sub.get("a", "")
                call_number = sub.get("o", "")
                location, type_code, price = sub.get("c", ""), sub.get("y", ""), sub.get("g") or sub.get("v", "")
                acquired, note = sub.get("d", ""), sub.get("z", "")
            else:  # MARC 21 holdings: $p barcode, $b sublocation, $a institution, $h/$i call number
                barcode, branch_code = sub.get("p", ""), sub.get("b") or sub.get("a", "")
                call_number = " ".join(v for v in (sub.get("h", ""), sub.get("i", "")) if v)
                location, type_code, price = sub.get("c", ""), "", sub.get("9", "")
                acquired, note = "", sub.get("z", "")
            if not barcode:
                continue
            branch = self.default_branch or self.branches.get(branch_code.lower())
            if branch is None:
                notes.append(f"item {barcode} ({tag}): branch “{branch_code}” is not a bkklib branch: item not created "
                             "(use --branch)")
                continue
            items.append({
                "barcode": barcode, "branch": branch, "tag": tag,
                "item_type": self.item_types.get(type_code.lower()) or self.item_types.get(DEFAULT_ITEM_TYPE),
                "call_number": call_number[:100], "shelving_location": location[:100],
                "price": _price(price), "acquired_on": _date(acquired), "notes": note,
                "status": _koha_status(sub) if tag == "952" else Item.Status.AVAILABLE,
            })
        return items


def _price(value: str) -> Decimal | None:
    digits = "".join(c for c in value if c.isdigit() or c == ".")
    try:
        price = Decimal(digits) if digits else None
    except InvalidOperation:
        return None
    return price if price is not None and price < Decimal("100000000") else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _koha_status(sub: dict) -> str:
    if sub.get("0", "0") not in ("", "0"):
        return Item.Status.WITHDRAWN
    if sub.get("1", "0") not in ("", "0"):
        return Item.Status.LOST
    if sub.get("4", "0") not in ("", "0"):
        return Item.Status.DAMAGED
    return Item.Status.AVAILABLE


class Importer:
    """One import run over one or more files; see ``import_marc``."""

    def __init__(self, *, on_duplicate: str = "skip", branch: Branch | None = None, job: ImportJob | None = None,
                 user=None, batch_size: int = BATCH_SIZE, demo: bool = False,
                 progress: Callable[[int, int], object] | None = None):
        if on_duplicate not in POLICIES:
            raise ValueError(f"on_duplicate must be one of {POLICIES}")
        self.policy = on_duplicate
        self.job = job
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.batch_size = batch_size
        self.demo = demo
        self.progress = progress
        self.report = ImportReport()
        self.holdings = Holdings(branch)
        self.barcode_re = __import__("re").compile(BARCODE_PATTERN)
        self.bytes_done = 0

    # --- reading --------------------------------------------------------------------------------

    def run(self, stream, *, name: str = "", format: str = "auto", encoding: str = "auto") -> ImportReport:
        """Import every record of ``stream`` (a binary file object); return the report (also kept on self)."""
        started = time.perf_counter()
        self.report.files.append(name or getattr(stream, "name", "") or "-")
        batch: list[Pending] = []
        base = self.bytes_done
        try:
            for result in marc_reader.open_records(stream, format=format, encoding=encoding, name=name):
                self.report.read += 1
                self.bytes_done = base + result.end
                pending = self._accept(result)
                if pending is not None:
                    batch.append(pending)
                if len(batch) >= self.batch_size:
                    self._flush(batch)
                    batch = []
                elif self.progress and self.report.read % 100 == 0:
                    self.progress(self.report.read, self.bytes_done)
        except marc_reader.UnsupportedFile as exc:
            self.report.file_errors.append(f"{name}: {exc}")
        except LookupError as exc:  # an unknown --encoding
            self.report.file_errors.append(f"{name}: unknown encoding ({exc})")
        if batch:
            self._flush(batch)
        if self.report.read == 0 and not self.report.file_errors:
            self.report.file_errors.append(f"{name}: no MARC records in the file")
        self.report.seconds += time.perf_counter() - started
        if self.progress:
            self.progress(self.report.read, self.bytes_done)
        return self.report

    def _accept(self, result) -> Pending | None:
        """Return the record ready for storing, or None after reporting why it is not stored."""
        report = self.report
        if result.encoding:
            report.encodings[result.encoding] = report.encodings.get(result.encoding, 0) + 1
        if result.error:
            report.failed += 1
            report.add(result, "failed", result.error, result.tag)
            return None
        if result.skip_reason:
            report.skipped += 1
            report.add(result, "skipped", result.skip_reason)
            return None
        notes = list(result.notes)
        try:
            repair_leader(result.record, notes)
            marc = normalise(result.record)
            ex = extract(marc)
            items = self.holdings.items_of(marc, notes)
        except Exception as exc:  # a record the extractor cannot read must not stop the file
            report.failed += 1
            report.add(result, "failed", f"cannot read the record's fields ({exc.__class__.__name__}: {exc})")
            return None
        if not any("245" in f for f in marc["fields"]):
            notes.append("no title (245) in the record" + (f": title taken from another field (“{ex.title[:60]}”)"
                                                           if ex.title else ""))
        result.notes = notes
        return Pending(result, marc, ex, identifiers(ex), items)

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

    def _flush(self, batch: list[Pending]) -> None:
        before = self._snapshot()
        try:
            with transaction.atomic():
                self._store(batch)
        except DatabaseError:
            # Forget what the failed batch reported and replay it one record per savepoint.
            self._restore(before)
            for pending in batch:
                one = self._snapshot()
                try:
                    with transaction.atomic():
                        self._store([pending])
                except DatabaseError as exc:
                    self._restore(one)
                    self.report.failed += 1
                    self.report.add(pending.result, "failed", f"the database refused the record: {exc}")
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

    def _existing_matches(self, batch: list[Pending]) -> dict[tuple[str, str], int]:
        wanted: dict[str, set[str]] = {}
        for pending in batch:
            for kind, value in pending.keys:
                wanted.setdefault(kind, set()).add(value)
        found: dict[tuple[str, str], int] = {}
        for kind, values in wanted.items():
            values = list(values)
            for start in range(0, len(values), 900):
                rows = RecordIdentifier.objects.filter(kind=kind, value__in=values[start:start + 900]).values_list(
                    "value", "record_id")
                for value, record_id in rows:
                    found.setdefault((kind, value), record_id)
        return found

    def _store(self, batch: list[Pending]) -> None:
        report = self.report
        existing = self._existing_matches(batch) if self.policy != "new" else {}
        in_batch: dict[tuple[str, str], Pending] = {}
        to_create: list[Pending] = []
        to_overlay: list[tuple[Pending, int]] = []
        overlay_ids: set[int] = set()
        for pending in batch:
            match = None
            if self.policy != "new":
                for key in pending.keys:
                    if key in existing:
                        match = ("db", existing[key], key)
                        break
                    if key in in_batch:
                        match = ("batch", in_batch[key], key)
                        break
            label = f"{KEY_LABELS[match[2][0]]} {match[2][1]}" if match else ""
            if match and self.policy == "skip":
                target = f"record {match[1]}" if match[0] == "db" else "an earlier record of this import"
                report.skipped += 1
                report.add(pending.result, "skipped", f"duplicate of {target} (matched on {label})")
                continue
            if match and self.policy == "overlay":
                if match[0] == "db" and match[1] not in overlay_ids:
                    overlay_ids.add(match[1])
                    to_overlay.append((pending, match[1]))
                    self._note_repairs(pending)
                    continue
                report.skipped += 1
                report.add(pending.result, "skipped", f"a later copy of a record already overlaid here ({label})")
                continue
            to_create.append(pending)
            for key in pending.keys:
                in_batch.setdefault(key, pending)
            self._note_repairs(pending)

        created = self._create(to_create)
        self._overlay(to_overlay)
        item_rows = [(p, record_id) for p, record_id in created] + [(p, rid) for p, rid in to_overlay]
        self._create_items(item_rows)
        docs_for = [(record_id, p.extracted) for p, record_id in item_rows]
        if docs_for:
            holdings = indexing.holdings_of(rid for rid, _ex in docs_for)
            index.index_documents(indexing.build_document(rid, ex, holdings.get(rid, [])) for rid, ex in docs_for)

    def _note_repairs(self, pending: Pending) -> None:
        for note in pending.result.notes:
            self.report.add(pending.result, "repaired", note)

    def _record(self, pending: Pending) -> Record:
        return Record(marc=pending.marc, is_demo=self.demo, created_by=self.user, import_job=self.job,
                      **pending.extracted.model_fields())

    def _create(self, pendings: list[Pending]) -> list[tuple[Pending, int]]:
        if not pendings:
            return []
        records = [self._record(p) for p in pendings]
        # No history row per imported record: the ImportJob (who, when, which file, the report) and the
        # record's import_job/created_by/created_at are the audit of a bulk creation; edits are historised.
        bulk.insert_rows(Record, records, returning=True)  # multi-row INSERTs without the ORM's per-value work
        if any(r.pk is None for r in records):  # a database without RETURNING: read the ids back
            raise DatabaseError("bulk insert did not return primary keys")
        bulk.insert_rows(RecordIdentifier, [
            RecordIdentifier(record_id=r.pk, kind=kind, value=value)
            for r, p in zip(records, pendings, strict=True) for kind, value in dict.fromkeys(p.keys)])
        self.report.created += len(records)
        self.report.record_ids.extend(r.pk for r in records)
        self.report.positions.extend(p.result.position for p in pendings)
        return [(p, r.pk) for p, r in zip(pendings, records, strict=True)]

    def _overlay(self, pairs: list[tuple[Pending, int]]) -> None:
        if not pairs:
            return
        records = Record.objects.in_bulk([rid for _p, rid in pairs])
        for pending, record_id in pairs:
            record = records[record_id]
            record.marc = pending.marc
            for name, value in pending.extracted.model_fields().items():
                setattr(record, name, value)
            record._change_reason = "MARC import (overlay)"
            if self.user:
                record._history_user = self.user
            record.save()
            RecordIdentifier.objects.filter(record_id=record_id).delete()
            RecordIdentifier.objects.bulk_create(
                [RecordIdentifier(record_id=record_id, kind=k, value=v) for k, v in dict.fromkeys(pending.keys)])
            self.report.overlaid += 1
            self.report.record_ids.append(record_id)
            self.report.positions.append(pending.result.position)
            self.report.add(pending.result, "overlaid", f"record {record_id} replaced by the incoming record")

    def _create_items(self, rows: list[tuple[Pending, int]]) -> None:
        wanted = [(p, rid, item) for p, rid in rows for item in p.items]
        if not wanted:
            return
        barcodes = [item["barcode"] for _p, _rid, item in wanted]
        taken = set()
        for start in range(0, len(barcodes), 900):
            taken |= set(Item.objects.filter(barcode__in=barcodes[start:start + 900]).values_list("barcode", flat=True))
        now = timezone.now()
        items = []
        for pending, record_id, item in wanted:
            barcode = item["barcode"]
            if not self.barcode_re.match(barcode):
                self.report.add(pending.result, "item", f"barcode “{barcode}” is not valid: item not created",
                                item["tag"])
                continue
            if barcode in taken:
                self.report.add(pending.result, "item", f"barcode {barcode} already exists: item not created",
                                item["tag"])
                continue
            taken.add(barcode)
            items.append(Item(
                record_id=record_id, barcode=barcode, branch=item["branch"], item_type=item["item_type"],
                call_number=item["call_number"], shelving_location=item["shelving_location"], price=item["price"],
                acquired_on=item["acquired_on"], notes=item["notes"], status=item["status"], status_changed_at=now,
                is_demo=self.demo,
            ))
        if items:
            bulk.insert_rows(Item, items)
            self.report.items_created += len(items)


def import_marc(paths_or_streams: Iterable, *, format: str = "auto", encoding: str = "auto",
                branch: Branch | None = None, on_duplicate: str = "skip", job: ImportJob | None = None,
                user=None, batch_size: int = BATCH_SIZE, demo: bool = False,
                progress: Callable[[int, int], object] | None = None) -> ImportReport:
    """Import MARC files (paths or binary streams) into the catalog and return the report.

    ``format`` is auto|iso2709|marcxml|json|mrk, ``encoding`` auto or a charset name (ISO 2709),
    ``branch`` receives items from holdings fields that name no known branch, ``on_duplicate``
    skip|overlay|new decides what happens to a record that matches one in the catalog on 003+001,
    035 or ISBN. A bad record is reported and never stops the rest.
    """
    importer = Importer(on_duplicate=on_duplicate, branch=branch, job=job, user=user, batch_size=batch_size,
                        demo=demo, progress=progress)
    for source in paths_or_streams:
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as stream:
                importer.run(stream, name=os.path.basename(os.fspath(source)), format=format, encoding=encoding)
        elif isinstance(source, bytes):
            importer.run(io.BytesIO(source), name="-", format=format, encoding=encoding)
        else:
            importer.run(source, name=getattr(source, "name", "-"), format=format, encoding=encoding)
    return importer.report
