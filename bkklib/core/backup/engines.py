"""Copying the database out and back in: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore.

SQLite: ``sqlite3.Connection.backup`` copies a consistent snapshot page by page while the site
keeps working, and copies a backup back into the live database the same way (the other
connections see the restored content at their next transaction).

PostgreSQL: ``pg_dump --format=custom`` inside an exported snapshot, so the row counts written to
the manifest are those of the dump; restore turns the dump into SQL with ``pg_restore`` and runs it
through ``psql`` in ONE transaction after dropping the schema: either the whole backup is in the
database afterwards, or (on any error) the database is left as it was.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection

from .manifest import BackupError, row_counts

PG_DUMP_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install Debian's postgresql-client (scripts/system-deps.sh)")
    return path


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """Return the environment that points libpq tools at the database of ``settings_dict``."""
    env = {**os.environ, "PGDATABASE": settings_dict["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict, what: str, *, stdin=None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, stdin=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{what} failed (exit {result.returncode}): {detail}")
    return result


def dump(folder: Path) -> tuple[str, dict[str, int]]:
    """Write the database into ``folder``; return the file name and the row counts of the copy."""
    if connection.vendor == "sqlite":
        return _dump_sqlite(folder)
    if connection.vendor == "postgresql":
        return _dump_postgres(folder)
    raise BackupError(f"no backup method for the {connection.vendor} database engine")


def _dump_sqlite(folder: Path) -> tuple[str, dict[str, int]]:
    connection.ensure_connection()
    target = sqlite3.connect(folder / SQLITE_FILE)
    try:
        connection.connection.backup(target, pages=1024)
        counts = row_counts(_SqliteFile(target))
    finally:
        target.close()
    return SQLITE_FILE, counts


def _dump_postgres(folder: Path) -> tuple[str, dict[str, int]]:
    """pg_dump in the snapshot of an open REPEATABLE READ transaction, counting rows in the same snapshot."""
    env = pg_environment(connection.settings_dict)
    pg_dump = _tool("pg_dump")
    with connection.cursor() as cursor:
        was_autocommit = connection.get_autocommit()
        connection.set_autocommit(False)
        try:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run([pg_dump, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
                  f"--file={folder / PG_DUMP_FILE}"], env, "pg_dump")
            counts = row_counts()
        finally:
            connection.rollback()
            connection.set_autocommit(was_autocommit)
    return PG_DUMP_FILE, counts


def load(folder: Path, manifest: dict) -> None:
    """Replace the live database's content with the backup in ``folder`` (already verified)."""
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"this backup holds a {vendor} database; this installation runs on {connection.vendor}")
    path = folder / manifest["database"]["file"]
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection, pages=1024)
        finally:
            source.close()
        connection.close()
        return
    env = pg_environment(connection.settings_dict)
    connection.close()  # our own idle connection must not hold locks the DROP SCHEMA waits for
    with tempfile.TemporaryFile() as script:
        script.write(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
        script.flush()
        result = subprocess.run([_tool("pg_restore"), "--no-owner", "--no-acl", "--file=-", str(path)], env=env,
                                stdout=script, stderr=subprocess.PIPE, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed (exit {result.returncode}): "
                              f"{result.stderr.decode(errors='replace').strip()[-2000:]}")
        script.seek(0)
        _run([_tool("psql"), "--quiet", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1",
              "--file=-"], env, "loading the dump (psql)", stdin=script)


class _SqliteFile:
    """The bits of a Django connection ``row_counts`` uses, over a plain sqlite3 connection."""

    vendor = "sqlite"

    def __init__(self, raw: sqlite3.Connection):
        self.raw = raw

    class ops:  # noqa: N801 (mimics connection.ops)
        @staticmethod
        def quote_name(name: str) -> str:
            return '"' + name.replace('"', '""') + '"'

    def cursor(self):
        return _Cursor(self.raw.cursor())


class _Cursor:
    def __init__(self, cursor):
        self.cursor = cursor

    def __enter__(self):
        return self.cursor

    def __exit__(self, *exc):
        self.cursor.close()
