"""``bkklib import_branches FILE.csv [--dry-run] [--default-district CODE] [--default-kind KIND]``.

Load the division's own list of branches, with a per-row report (row, column, reason). See
``bkklib/network/importer.py`` for the columns; the BMA open-data list (name, lat, lng only)
needs ``--default-district``.
"""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bkklib.network import importer
from bkklib.network.models import Branch


class Command(BaseCommand):
    help = "Import branches from a CSV file (name, kind, district, address, lat, lng, phone, email, hours)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument("--default-district", help="district (code or name) for rows without one")
        parser.add_argument("--default-kind", default=Branch.Kind.PUBLIC_LIBRARY, choices=Branch.Kind.values,
                            help="kind for rows without one (default: public_library)")
        parser.add_argument("--user", help="user name recorded as the author in the change history")
        parser.add_argument("--language", default="th", choices=["th", "en"], help="language of the report")

    def handle(self, *args, file, dry_run, default_district, default_kind, user, language, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"no user {user!r}")
        with translation.override(language):
            report = importer.import_branches(file.read_bytes(), dry_run=dry_run, default_district=default_district,
                                              default_kind=default_kind, by=by)
            self._print(report)
        if report.fatal:
            raise CommandError(report.fatal)
        if report.count("error"):
            # Non-zero exit so that scripts notice, after the report has been printed.
            raise CommandError(_("{count} rows were not imported.").format(count=report.count("error")))

    def _print(self, report: importer.ImportReport) -> None:
        out = self.stdout
        if report.dry_run:
            out.write(_("Dry run: nothing was saved."))
        for note in report.notes:
            out.write(self.style.WARNING(_("note: {note}").format(note=note)))
        for row in report.rows:
            labels = {"created": _("created"), "updated": _("updated"), "error": _("NOT imported")}
            if report.dry_run:
                labels.update({"created": _("would be created"), "updated": _("would be updated")})
            label = labels[row.action]
            line = _("row {row}: {label} {code} {name}").format(row=row.row, label=label, code=row.code,
                                                                 name=row.name).replace("  ", " ")
            out.write(self.style.ERROR(line) if row.action == "error" else line)
            for column, reason in row.errors:
                text = (_("  row {row}, {column}: {reason}") if column else _("  row {row}: {reason}")).format(
                    row=row.row, column=column, reason=reason)
                out.write(self.style.ERROR(text))
            for note in row.notes:
                out.write(_("  row {row}: {note}").format(row=row.row, note=note))
        out.write(_("{created} created, {updated} updated, {errors} not imported.").format(
            created=report.count("created"), updated=report.count("updated"), errors=report.count("error")))
