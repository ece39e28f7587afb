"""Migrated template databases for `make test`: migrate once per engine, copy for every test worker.

Creating a test database means running every migration (about 35 s of CPU, growing with each app:
Django re-renders the related historical models for each CreateModel), and `make test` used to do it
once per pytest worker of each leg: twice on SQLite, twice on PostgreSQL, twice more for the browser
tests. scripts/test.sh now builds one template per engine with the real `migrate` (in the background,
while the lint steps run), and each worker copies it:

- SQLite: the template is a file; a worker's in-memory test database is filled from it with SQLite's
  online backup API (a page copy, well under a second).
- PostgreSQL: `CREATE DATABASE test_… TEMPLATE bkklib_test_template` (a file copy on the server).

`python scripts/test_templates.py sqlite PATH` / `postgres URL` build them; `install()` (called by the
root conftest.py when BKKLIB_TEST_TEMPLATE_SQLITE / BKKLIB_TEST_TEMPLATE_PG are set) makes Django's
test-database creation copy instead of migrate. Without those variables nothing changes: a plain
`pytest` migrates as before. The template is built by the same migrations every run (never cached
across runs), so a broken migration still fails the run.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]


def build_sqlite(path: str) -> None:
    Path(path).unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(path).resolve()}", "BKKLIB_TESTING": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    # One file: the template is copied while nobody writes it, so no WAL beside it.
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")


def _admin_connection(url: str):
    import psycopg

    parts = urlparse(url)
    return psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                           password=parts.password or None, dbname="postgres", autocommit=True)


def build_postgres(url: str) -> None:
    """Migrate the database named in ``url`` from scratch (it is dropped first)."""
    name = urlparse(url).path.lstrip("/")
    with _admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "BKKLIB_TESTING": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)


def install() -> None:
    """Make Django's create_test_db copy the template of its engine instead of migrating."""
    sqlite_template = os.environ.get("BKKLIB_TEST_TEMPLATE_SQLITE", "")
    pg_template = os.environ.get("BKKLIB_TEST_TEMPLATE_PG", "")
    if not (sqlite_template or pg_template):
        return
    from django.conf import settings
    from django.db.backends.base import creation

    original = creation.BaseDatabaseCreation.create_test_db

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        vendor = self.connection.vendor
        template = sqlite_template if vendor == "sqlite" else pg_template if vendor == "postgresql" else ""
        if not template or keepdb or (vendor == "sqlite" and not Path(template).is_file()):
            return original(self, verbosity, autoclobber, serialize, keepdb)
        name = self._get_test_db_name()
        if vendor == "postgresql":
            if not _clone_postgres(self, template, name):
                return original(self, verbosity, autoclobber, serialize, keepdb)  # no template on this server
        else:
            name = self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        if vendor == "sqlite":
            with sqlite3.connect(f"file:{template}?mode=ro", uri=True) as source:
                source.backup(self.connection.connection)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        return name

    creation.BaseDatabaseCreation.create_test_db = create_test_db


def _clone_postgres(creation_, template: str, name: str) -> bool:
    """Copy the template into `name`; False when this server has no such template (e.g. a private cluster)."""
    quoted = creation_.connection.ops.quote_name
    for attempt in range(20):  # two workers may copy the template at the same moment
        try:
            with creation_._nodb_cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
                if cursor.fetchone() is None:
                    return False
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")
                cursor.execute(f"CREATE DATABASE {quoted(name)} TEMPLATE {quoted(template)}")
            return True
        except Exception as exc:  # "source database is being accessed by other users"
            if "being accessed" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.5)


if __name__ == "__main__":
    kind, where = sys.argv[1:3]
    {"sqlite": build_sqlite, "postgres": build_postgres}[kind](where)
