"""Backup and restore of a bkklib installation: database, uploaded files, manifest (docs/admin/backup.md)."""
from .archive import RestoreReport, backups_in, check, create, prune, restore
from .manifest import BackupError, media_checksums, row_counts, table_digests

__all__ = ["BackupError", "RestoreReport", "backups_in", "check", "create", "media_checksums", "prune", "restore",
           "row_counts", "table_digests"]
