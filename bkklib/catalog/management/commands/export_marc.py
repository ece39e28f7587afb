"""``bkklib export_marc OUT``: write catalog records as MARC 21 UTF-8 (ISO 2709 or MARCXML)."""
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
                with open(out, "wb") as stream:
                    report = export(stream, format=format, ids=ids, progress=bar.update)
        for problem in report.problems:
            self.stderr.write(f"not exported: {problem}")
        if str(out) != "-":
            self.stdout.write(f"{report.written} record(s) written to {out}")
