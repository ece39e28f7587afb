"""``create`` and ``restore`` a backup folder; ``prune`` old ones (docs/admin/backup.md).

A backup is one folder ``bkklib-backup-<UTC time>`` holding the database copy, ``media/`` (the
uploaded files) and ``manifest.json``. It is written under a ``.partial`` name and renamed when
complete, so a backup that crashed half-way (full disk, killed process) is never taken for a
good one; ``prune`` removes such leftovers.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from . import engines, manifest
from .manifest import BackupError

PREFIX = "bkklib-backup-"
PARTIAL = ".partial"


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def create(dest: Path, *, now: datetime | None = None, keep: int | None = None) -> Path:
    """Write a complete backup into a new folder under ``dest``; return that folder.

    With ``keep``, remove all but the newest ``keep`` backups in ``dest`` afterwards.
    """
    now = now or datetime.now(UTC)
    dest.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}"
    work = dest / (name + PARTIAL)
    final = dest / name
    if final.exists() or work.exists():
        raise BackupError(f"{final} already exists")
    work.mkdir()
    try:
        database_file, counts = engines.dump(work)
        schema = manifest.applied_schema()
        media = _copy_media(media_root(), work / "media")
        manifest.write(work, {
            "format": manifest.FORMAT,
            "bkklib_version": manifest.bkklib_version(),
            "created_at": now.isoformat(),
            "database": {"vendor": connection.vendor, "file": database_file,
                         "sha256": manifest.sha256_of(work / database_file), "row_counts": counts},
            "schema": schema,
            "media": media,
        })
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if keep:
        prune(dest, keep=keep)
    return final


def _copy_media(source: Path, target: Path) -> dict[str, str]:
    """Copy every uploaded file into ``target``; return the checksums of the copies."""
    target.mkdir()
    checksums = {}
    for name in manifest.media_checksums(source):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, destination)
        checksums[name] = manifest.sha256_of(destination)  # of the copy: what restore will find
    return checksums


def backups_in(dest: Path) -> list[Path]:
    """Return the complete backups in ``dest``, oldest first."""
    if not dest.is_dir():
        return []
    return sorted(p for p in dest.iterdir()
                  if p.is_dir() and p.name.startswith(PREFIX) and not p.name.endswith(PARTIAL)
                  and (p / manifest.MANIFEST).is_file())


def prune(dest: Path, *, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` complete backups, and every leftover ``.partial``; return what went."""
    if keep < 1:
        raise BackupError("keep at least one backup")
    removed = backups_in(dest)[:-keep]
    removed += [p for p in dest.iterdir() if p.name.startswith(PREFIX) and p.name.endswith(PARTIAL)]
    for path in removed:
        shutil.rmtree(path)
    return removed


@dataclass
class RestoreReport:
    """What ``restore`` did: the backup's schema and version, and the migrations run after it."""

    backup: Path
    bkklib_version: str
    created_at: str
    migrated: bool = False
    notes: list[str] = field(default_factory=list)


def check(src: Path) -> dict:
    """Verify a backup without touching the database; return its manifest or raise BackupError."""
    data = manifest.read(src)
    problems = manifest.verify_files(src, data)
    if problems:
        raise BackupError("the backup is damaged, nothing was restored:\n  " + "\n  ".join(problems))
    newer = manifest.newer_than_code(data["schema"])
    if newer:
        raise BackupError(
            f"the backup comes from a newer schema than this release ({manifest.bkklib_version()}) knows "
            f"(bkklib {data.get('bkklib_version')}; unknown migrations: {', '.join(newer)}); "
            "install that release or a later one, then restore. Nothing was restored.")
    if data["database"]["vendor"] != connection.vendor:
        raise BackupError(f"the backup holds a {data['database']['vendor']} database; this installation runs on "
                          f"{connection.vendor}. Nothing was restored.")
    return data


def restore(src: Path, *, migrate: bool = True) -> RestoreReport:
    """Replace the database and the uploaded files with the backup in ``src``.

    Checks everything first (checksums, schema, engine); then loads the database, checks its row
    counts against the manifest, puts the media files back, and runs the migrations of this
    release when the backup is older.
    """
    data = check(src)
    engines.load(src, data)
    counts = manifest.row_counts()
    expected = data["database"]["row_counts"]
    wrong = [f"{t}: {counts.get(t)} rows, the backup had {n}" for t, n in sorted(expected.items()) if counts.get(t) != n]
    if wrong:
        raise BackupError("the restored database differs from the backup:\n  " + "\n  ".join(wrong))
    _restore_media(src / "media", media_root(), data.get("media", {}))
    report = RestoreReport(backup=src, bkklib_version=data.get("bkklib_version", ""), created_at=data["created_at"])
    if migrate and _unapplied():
        call_command("migrate", interactive=False, verbosity=0)
        report.migrated = True
        report.notes.append("the backup was older than this release: its migrations were applied")
    return report


def _unapplied() -> list:
    """Return the migrations of this release the restored database lacks."""
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _restore_media(source: Path, target: Path, expected: dict[str, str]) -> None:
    """Make ``target`` hold exactly the backup's files (copied next to it first, then swapped in)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in manifest.media_checksums(target):
        if name not in expected:
            (target / name).unlink()
    for name in expected:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(destination.name + ".restoring")
        shutil.copy2(source / name, temporary)
        temporary.replace(destination)
