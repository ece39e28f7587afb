"""``bkklib migrate_from ulibm|koha``: take a library's exports into bkklib (docs/admin/migration.md)."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from bkklib.core.exceptions import DomainError
from bkklib.migration.mappings import SOURCES
from bkklib.migration.services import migrate


class Command(BaseCommand):
    help = ("Migrate a library from ULibM or Koha: MARC records with their items, patrons (CSV) and current "
            "loans (CSV); --dry-run reports what would come across without storing anything.")

    def add_arguments(self, parser):
        parser.add_argument("source", choices=SOURCES)
        parser.add_argument("--marc", type=Path, nargs="*", default=[], help="MARC exports (ISO 2709, MARCXML...)")
        parser.add_argument("--patrons", type=Path, help="patron export (CSV)")
        parser.add_argument("--loans", type=Path, help="current loans (CSV: barcode, card number, issue date, due date)")
        parser.add_argument("--mapping", type=Path, help="mapping file (JSON or TOML): branches, item types, "
                                                         "patron categories, columns")
        parser.add_argument("--branch", default="", help="default bkklib branch code (ULibM items, patrons without one)")
        parser.add_argument("--encoding", default="auto", help="MARC encoding: auto, utf-8, marc-8, tis-620...")
        parser.add_argument("--dry-run", action="store_true", help="report what would be migrated; store nothing")
        parser.add_argument("--report", type=Path, help="also write the report to this file (.json or .xlsx)")
        parser.add_argument("--quiet-report", action="store_true", help="print only the summary")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE, help="language of the report (default: Thai)")

    def execute(self, *args, **options):
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def handle(self, *args, source, marc, patrons, loans, mapping, branch, encoding, dry_run, report, quiet_report,
               **options):
        missing = [str(f) for f in [*marc, patrons, loans, mapping] if f is not None and not f.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        if not (marc or patrons or loans):
            raise CommandError("give at least one of --marc, --patrons, --loans")
        if report is not None and report.suffix.lower() not in (".json", ".xlsx"):
            raise CommandError("--report must name a .json or .xlsx file")
        try:
            result = migrate(source, marc=marc, patrons=patrons, loans=loans, mapping_file=mapping, branch=branch,
                             dry_run=dry_run, encoding=encoding)
        except DomainError as exc:
            raise CommandError(exc.text) from None
        self.stdout.write(result.text(details=not quiet_report), ending="")
        if report is not None:
            report.write_bytes(result.xlsx_bytes() if report.suffix.lower() == ".xlsx" else result.json_bytes())
