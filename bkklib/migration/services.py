"""``migrate``: take a library's ULibM or Koha exports (MARC with items, patrons, current loans) into bkklib.

Records go through the catalog's importer (``import_marc``, merging on 003+001, 035 and ISBN: a
record already in bkklib is overlaid, so a second run merges), with the source's item fields
rewritten to 952 by ``holdings.Holdings``; then the patrons, then the loans (which need both).
A dry run does all of it inside one transaction and rolls it back: the report says exactly what
the real run would do, and nothing is stored.
"""
from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from bkklib.catalog.importer import import_marc
from bkklib.catalog.marc.messages import translated
from bkklib.catalog.models import Item

from . import mappings
from .holdings import NO_BARCODE, Holdings
from .loans import migrate_loans
from .patrons import migrate_patrons
from .report import MigrationReport

# Catalog report lines about items (their message templates): what the migration reports as items.
_ITEM_BRANCH_UNKNOWN = ("item {barcode} ({tag}): branch “{branch}” is not a bkklib branch: item not created (give "
                        "the import a branch for its items)")
_BARCODE_TAKEN = "barcode {barcode} already exists: item not created"


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def migrate(source: str, *, marc: Iterable[Path | str] = (), patrons: Path | str | None = None,
            loans: Path | str | None = None, mapping_file: Path | str | None = None, branch: str = "",
            dry_run: bool = False, user=None, encoding: str = "auto", now: datetime | None = None) -> MigrationReport:
    """Migrate the exports of ``source`` (ulibm|koha) and return the report (see the module docstring).

    ``branch`` is the default branch (items of ULibM, patrons with no branch code); ``mapping_file``
    maps codes and columns (mappings.py). Raise BadMapping or UnknownSource before anything is read.
    """
    now = now or timezone.now()
    mapping = mappings.build(source, mappings.read_file(mapping_file), default_branch=branch)
    report = MigrationReport(source=source, dry_run=dry_run)
    started = time.perf_counter()
    try:
        # A real run commits record by record (batches of the importer, a row of a CSV each); a dry run
        # holds everything in one transaction and rolls it back.
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            marc = list(marc)
            if marc:
                _migrate_marc(marc, mapping=mapping, report=report, user=user, encoding=encoding)
            if patrons:
                migrate_patrons(patrons, mapping=mapping, report=report, user=user, today=timezone.localdate(now))
            if loans:
                migrate_loans(loans, mapping=mapping, report=report, user=user, now=now)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.seconds = time.perf_counter() - started
    return report


def _migrate_marc(paths: list, *, mapping, report: MigrationReport, user, encoding: str) -> None:
    started = time.perf_counter()
    imported = import_marc(paths, on_duplicate="overlay", user=user, encoding=encoding, transform=Holdings(mapping))
    report.marc_seconds += time.perf_counter() - started
    report.files.extend(imported.files)
    report.read["record"] += imported.read
    counts = report.counts["record"]
    counts["created"] += imported.created
    counts["merged"] += imported.overlaid
    counts["skipped"] += imported.skipped
    counts["refused"] += imported.failed
    by_name = {Path(p).name: Path(p) for p in paths if isinstance(p, (str, Path))}
    for problem in imported.file_errors:
        # A file refused whole (UNIMARC, not MARC 21): each of its records is refused with the file's reason.
        name = getattr(problem, "values", {}).get("file", "")
        held = _records_in(by_name.get(name))
        report.read["record"] += held
        report.count("record", "refused", held)
        report.add("record", "refused", 0, "", "", gettext("the whole file, {count} record(s): {problem}").format(
            count=held, problem=translated(problem)), file=name, counted=False)
    report.count("item", "created", imported.items_created)
    taken = _barcodes_taken(imported.lines)
    for line in imported.lines:
        file = imported.files[line.file] if line.file < len(imported.files) else ""
        template = getattr(line.reason, "template", "")
        values = getattr(line.reason, "values", {})
        if line.outcome == "overlaid":
            continue
        if template == NO_BARCODE:
            report.add("item", "refused", line.position, line.control_number, values.get("tag", ""), line.reason,
                       file=file)
        elif template == _ITEM_BRANCH_UNKNOWN:
            report.add("item", "refused", line.position, values.get("barcode", ""), values.get("tag", ""),
                       line.reason, file=file)
        elif template == _BARCODE_TAKEN:
            barcode = values.get("barcode", "")
            record_001 = taken.get(barcode)
            if record_001 is not None and record_001 == line.control_number:
                report.count("item", "merged")
            else:
                report.add("item", "refused", line.position, barcode, line.tag, gettext(
                    "barcode {barcode} already belongs to an item of another record in bkklib").format(
                    barcode=barcode), file=file)
        elif line.outcome == "item":
            report.add("item", "refused", line.position, line.control_number, line.tag, line.reason, file=file)
        elif line.outcome == "failed":
            report.add("record", "refused", line.position, line.control_number, line.tag, line.reason, file=file,
                       counted=False)
        elif line.outcome == "skipped":
            report.add("record", "skipped", line.position, line.control_number, line.tag, line.reason, file=file,
                       counted=False)
        else:
            report.add("record", "repaired", line.position, line.control_number, line.tag, line.reason, file=file)
    report.read["item"] = report.accounted("item")


def _records_in(path: Path | None) -> int:
    """Return how many records an ISO 2709 file holds by its record terminators (MARCXML: its records)."""
    if path is None or not path.is_file():
        return 0
    data = path.read_bytes()
    return data.count(b"\x1d") or len(re.findall(rb"<(?:[\w.-]+:)?record[\s>]", data))


def _barcodes_taken(lines) -> dict[str, str]:
    """Return the 001 of the record of each item whose barcode the import found taken."""
    barcodes = [line.reason.values["barcode"] for line in lines
                if getattr(line.reason, "template", "") == _BARCODE_TAKEN]
    out = {}
    for start in range(0, len(barcodes), 900):
        out.update(Item.objects.filter(barcode__in=barcodes[start:start + 900])
                   .values_list("barcode", "record__control_number"))
    return out
