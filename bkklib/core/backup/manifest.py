"""What a backup records about itself: file checksums, schema version, row counts, table digests.

The manifest (``manifest.json`` beside the dump) names the bkklib version, the database engine,
the latest applied migration of every app (the schema version), the row count of every table and
the SHA-256 of every file in the backup. ``restore`` refuses a backup whose files do not match
their checksums or whose schema is newer than the code (docs/admin/backup.md).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, for the administrator."""


def bkklib_version() -> str:
    try:
        return importlib.metadata.version("bkklib")
    except importlib.metadata.PackageNotFoundError:  # a checkout run without `pip install`
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def applied_schema(conn=None) -> dict[str, str]:
    """Return the latest applied migration of every app in the database: ``{app: name}``."""
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
    latest: dict[str, str] = {}
    for app, name in rows:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def code_schema() -> dict[str, set[str]]:
    """Return the migrations the running code knows, by app."""
    known: dict[str, set[str]] = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations:
        known.setdefault(app, set()).add(name)
    return known


def newer_than_code(schema: dict[str, str]) -> list[str]:
    """Return ``app.migration`` of every migration in ``schema`` the code does not know (a newer release)."""
    known = code_schema()
    return [f"{app}.{name}" for app, name in sorted(schema.items()) if name not in known.get(app, set())]


def table_names(conn=None) -> list[str]:
    """Return every table of the database (Django's, history, search index, FTS5 shadow tables)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return sorted(row[0] for row in cursor.fetchall())


def row_counts(conn=None) -> dict[str, int]:
    """Return the number of rows of every table."""
    conn = conn or connection
    counts = {}
    with conn.cursor() as cursor:
        for table in table_names(conn):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608 (names from the catalog)
            counts[table] = cursor.fetchone()[0]
    return counts


def table_digests(conn=None) -> dict[str, str]:
    """Return a SHA-256 of every table's content (all rows, all columns, in a fixed order).

    Two databases of the same engine with the same digests hold the same data; the round-trip
    test and ``restore --verify`` compare them.
    """
    conn = conn or connection
    digests = {}
    with conn.cursor() as cursor:
        for table in table_names(conn):
            quoted = conn.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} LIMIT 0")  # noqa: S608
            width = len(cursor.description)
            order = ", ".join(str(i + 1) for i in range(width))
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
            digest = hashlib.sha256()
            for row in cursor:
                digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode())
                digest.update(b"\n")
            digests[table] = digest.hexdigest()
    return digests


def media_checksums(root: Path) -> dict[str, str]:
    """Return ``{relative path: sha256}`` of every file under ``root``."""
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): sha256_of(path)
            for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}


def write(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                   encoding="utf-8")


def read(folder: Path) -> dict:
    """Read and sanity-check a backup's manifest."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a bkklib backup: it has no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is damaged: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r} is not one this release reads ({FORMAT})")
    return manifest


def verify_files(folder: Path, manifest: dict) -> list[str]:
    """Return the problems of the backup's files (missing, changed, unlisted); empty when all match."""
    problems = []
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({f"media/{name}": digest for name, digest in manifest.get("media", {}).items()})
    for name, digest in sorted(expected.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_of(path) != digest:
            problems.append(f"{name}: checksum does not match the manifest (the file was changed or damaged)")
    media = folder / "media"
    extra = sorted(set(media_checksums(media)) - set(manifest.get("media", {}))) if media.is_dir() else []
    problems.extend(f"media/{name}: not listed in the manifest" for name in extra)
    return problems
