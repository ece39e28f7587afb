"""Search backends: one per database engine, behind the same interface (base.SearchBackend)."""
from django.db import connection

from .base import SearchBackend


def for_connection(conn=None) -> SearchBackend:
    """Return the backend for the database ``conn`` (the default connection when None)."""
    conn = conn or connection
    if conn.vendor == "postgresql":
        from .postgresql import PostgresBackend

        return PostgresBackend(conn)
    if conn.vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend(conn)
    raise NotImplementedError(f"no search backend for the {conn.vendor} database engine")
