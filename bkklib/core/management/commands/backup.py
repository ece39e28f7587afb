"""``bkklib backup DEST``: copy the database, the uploaded files and a manifest into a new folder under DEST."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bkklib.core import backup


class Command(BaseCommand):
    help = ("Back up the database (SQLite online backup or pg_dump custom format) and the uploaded files "
            "into a new folder DEST/bkklib-backup-<time>, with a manifest of checksums and versions.")

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="folder that receives the backup folder")
        parser.add_argument("--keep", type=int, default=None,
                            help="afterwards keep only the newest KEEP backups in DEST (default: keep all)")

    def handle(self, *args, dest, keep, **options):
        try:
            folder = backup.create(dest, keep=keep)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(f"backup failed, nothing was kept: {exc}") from None
        data = backup.manifest.read(folder)
        self.stdout.write(f"backup written to {folder}: {data['database']['vendor']} database, "
                          f"{sum(data['database']['row_counts'].values())} rows in "
                          f"{len(data['database']['row_counts'])} tables, {len(data['media'])} media file(s)")
