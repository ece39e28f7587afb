"""``bkklib export_marc OUT``: write catalog records as MARC 21 UTF-8 (ISO 2709 or MARCXML)."""
import errno
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bkklib.catalog.exporter import FORMATS, export, ids_for_query
from bkklib.catalog.models import Record


class Command(BaseCommand):
    help = "Export catalog records as MARC 21 in UTF-8 (ISO 2709 with byte lengths, or MARCXML)."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="output file ('-' for standard output)")
        parser.add_argument("--format", choices=FORMATS, default="iso2709")
        parser.add_argument("--query", help="export only the records this search finds (search query language)")

    def handle(self, *args, out, format, query, **options):
        ids = None
        if query:
            try:
                ids = list(ids_for_query(query))
            except ValueError as exc:
                raise CommandError(f"the query cannot be used: {exc}") from None
        total = len(ids) if ids is not None else Record.objects.count()
        quiet = options.get("verbosity", 1) == 0 or str(out) == "-"
        with tqdm(total=total, unit="rec", desc="export", disable=quiet) as bar:
            if str(out) == "-":
                report = export(self.stdout._out.buffer, format=format, ids=ids, progress=bar.update)
            else:
                report = self.export_to_file(out, format=format, ids=ids, progress=bar.update)
        for problem in report.problems:
            self.stderr.write(f"not exported: {problem}")
        if str(out) != "-":
            self.stdout.write(f"{report.written} record(s) written to {out}")

    @staticmethod
    def export_to_file(out: Path, **options):
        """Write into a temporary file beside ``out`` and rename it when complete (docs/admin/faults.md).

        A full disk or a killed process leaves no half-written export under the name asked for (and an
        older export of that name intact); the temporary file is removed.
        """
        partial = out.with_name(f".{out.name}.partial")
        try:
            with open(partial, "wb") as stream:
                report = export(stream, **options)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(partial, out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"export failed, {out} was not written: {exc.strerror or exc}"
                               + (" (the disk is full)" if exc.errno == errno.ENOSPC else "")) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return report
