"""``bkklib restore SRC``: replace the database and the uploaded files with a backup made by ``bkklib backup``."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bkklib.core import backup


class Command(BaseCommand):
    help = ("Restore a backup folder made by `bkklib backup`: checks every checksum and the schema version "
            "first (a backup from a newer release is refused), then replaces the database and the media files. "
            "Stop the web server and the huey consumer before.")

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, help="a bkklib-backup-<time> folder")
        parser.add_argument("--check", action="store_true", help="only verify the backup; change nothing")
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, src, check, no_input, **options):
        try:
            data = backup.check(src)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(data["database"]["row_counts"].values())
        self.stdout.write(f"{src}: a good backup of bkklib {data['bkklib_version']} made {data['created_at']} "
                          f"({rows} rows, {len(data['media'])} media file(s))")
        if check:
            return
        if not no_input and input("This REPLACES the database and the media files. Type 'yes' to go on: ") != "yes":
            raise CommandError("restore cancelled; nothing was changed")
        try:
            report = backup.restore(src)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(f"restore failed: {exc}") from None
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write("restore complete")
