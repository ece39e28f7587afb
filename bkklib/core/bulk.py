"""Fast bulk INSERT of rows, for bulk loads (MARC import, demo data).

Django's ``bulk_create`` prepares every value of every row through the field's full preparation
chain; for an import of thousands of records a second that preparation costs more than the
database's work. ``insert_tuples`` takes rows as tuples of column values, decides once per column
how its values are turned into database values (as they are: text, numbers, booleans, keys, or
text the caller already encoded; through the field otherwise: dates, decimals, JSON), fills
``auto_now``/``auto_now_add`` and defaults once per call, and sends them by ``COPY`` on PostgreSQL
and by multi-row INSERTs on SQLite (ids drawn or RETURNed where asked). ``insert_rows`` does the
same for model instances. Like ``bulk_create`` they send no signals: callers that need audit rows
write them themselves.
"""
from __future__ import annotations

import contextlib
from collections.abc import Sequence

from django.db import connections, migrations, router
from django.db.models import AutoField, BigAutoField, SmallAutoField
from django.utils import timezone

# Columns whose Python values the database drivers take as they are.
PLAIN = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "IntegerField", "BigIntegerField",
         "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField",
         "BooleanField", "ForeignKey", "OneToOneField"}
MAX_PARAMS = {"sqlite": 32_000, "postgresql": 60_000}


def insert_rows(model, objs: Sequence, *, returning: bool = False, chunk_rows: int = 1000) -> list[int]:
    """INSERT ``objs`` (unsaved instances of ``model``); return their new ids in order when ``returning``.

    The ids, and the ``auto_now``/``auto_now_add`` stamps, are also set on the instances (as after
    ``save()``). Raise the database's IntegrityError on a constraint.
    """
    if not objs:
        return []
    now = timezone.now()
    names, stamped = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and isinstance(f, (AutoField, BigAutoField, SmallAutoField)):
            continue
        (stamped if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else names).append(f)
    ids = insert_tuples(model, [f.attname for f in names], [tuple(getattr(obj, f.attname) for f in names) for obj in objs],
                        returning=returning, chunk_rows=chunk_rows, now=now)
    alias = router.db_for_write(model)
    for f in stamped:
        value = now if f.get_internal_type() == "DateTimeField" else now.date()
        for obj in objs:
            setattr(obj, f.attname, value)
    for obj, pk in zip(objs, ids, strict=False):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, alias
    return ids


def insert_tuples(model, names: Sequence[str], rows: Sequence[Sequence], *, returning: bool = False,
                  raw: Sequence[str] = (), chunk_rows: int = 1000, now=None) -> list[int]:
    """INSERT ``rows`` (tuples of the columns ``names``, attribute names) into ``model``'s table.

    The columns not named get their field's default (``auto_now``/``auto_now_add`` stamps: now),
    the same value for every row. Values go through the field's preparation unless they are plain
    (text, numbers, booleans, keys) or named in ``raw`` (already in the database's form: JSON text).
    PostgreSQL receives them by ``COPY`` (with ids drawn from the table's sequence first when
    ``returning``); SQLite by multi-row INSERTs. Return the new ids in order when ``returning``.
    Raise the database's IntegrityError on a constraint; nothing of the call is then written.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    by_name = {f.attname: f for f in opts.concrete_fields}
    pk = opts.pk
    fields = [by_name[name] for name in names]
    now = now or timezone.now()
    constants = []
    for f in opts.concrete_fields:
        if f.attname in names or (f is pk and isinstance(f, (AutoField, BigAutoField, SmallAutoField))):
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now if f.get_internal_type() == "DateTimeField" else now.date()
        else:
            value = f.get_default()
        constants.append((f, f.get_db_prep_save(value, connection)))
    prep = [None if (f.attname in raw or f.get_internal_type() in PLAIN) else f for f in fields]
    if any(prep):
        rows = [tuple(v if p is None else p.get_db_prep_save(v, connection) for v, p in zip(row, prep, strict=True))
                for row in rows]
    columns = [f.column for f in fields] + [f.column for f, _v in constants]
    tail = tuple(v for _f, v in constants)
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids: list[int] = []
            if returning:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [opts.db_table, pk.column, len(rows)])
                ids = [r[0] for r in cursor.fetchall()]
                columns.insert(0, pk.column)
                rows = [(i, *row) for i, row in zip(ids, rows, strict=True)]
            sql = f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:  # Django's exceptions, as execute()
                for row in rows:
                    copy.write_row((*row, *tail))
            return ids
        # SQLite (and any other engine): multi-row INSERT, RETURNING the ids. On SQLite the statement goes to
        # the driver's own cursor in its "?" style: Django's wrapper rewrites every "%s" of a 32,000-value
        # statement with a regular expression first (a tenth of an import's time in this process).
        width = len(columns)
        per_chunk = max(1, min(chunk_rows, MAX_PARAMS.get(connection.vendor, 999) // max(1, width)))
        sqlite = connection.vendor == "sqlite"
        head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES "
        row_sql = "(" + ", ".join(["?" if sqlite else "%s"] * width) + ")"
        suffix = f" RETURNING {quote(pk.column)}" if returning else ""
        driver = contextlib.closing(connection.connection.cursor()) if sqlite else contextlib.nullcontext(cursor)
        ids = []
        with connection.wrap_database_errors, driver as target:
            for start in range(0, len(rows), per_chunk):
                chunk = rows[start:start + per_chunk]
                params = [value for row in chunk for value in (*row, *tail)]
                target.execute(head + ", ".join([row_sql] * len(chunk)) + suffix, params)
                if returning:
                    ids.extend(r[0] for r in target.fetchall())
        return ids


# autovacuum's own defaults for when a table's planner statistics are out of date.
ANALYZE_THRESHOLD = 50
ANALYZE_SCALE = 0.1


def keep_statistics(models, *, threshold: int = ANALYZE_THRESHOLD, scale: float = ANALYZE_SCALE,
                    using: str = "default") -> list[str]:
    """PostgreSQL: ANALYZE each table of ``models`` changed by more than ``threshold + scale × rows``
    since its statistics were last gathered; return the tables analysed (other databases: none).

    autovacuum applies the same rule, when it is on and has caught up; a bulk load cannot count on
    either, and without statistics the planner takes a table of a million rows for a few hundred
    (the import's duplicate look-ups then read every identifier of a kind, for every batch).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000 and not connection.in_atomic_block:
            # This backend's own counts of what it just committed reach the statistics views when it is
            # next idle, at most once a second: have them sent after this statement, before the next.
            cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT s.relname, s.n_mod_since_analyze, greatest(c.reltuples, 0) FROM pg_stat_user_tables s "
            "JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = current_schema() AND s.relname = ANY(%s)",
            [tables],
        )
        stale = [name for name, changed, rows in cursor.fetchall() if changed > threshold + scale * rows]
        for name in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return stale


def skip_statistics(table: str, columns: Sequence[str]) -> migrations.RunPython:
    """Return a migration operation: PostgreSQL's ANALYZE no longer samples ``columns`` of ``table``.

    For columns no query filters, joins or sorts on (whole MARC records, JSON lists, the search index's
    word columns): their histograms would serve no plan, and gathering them was most of what each
    ANALYZE of a bulk load cost (``keep_statistics``). Reversed, the columns take the default again.
    """
    def set_target(target: int):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            quote = schema_editor.quote_name
            schema_editor.execute(f"ALTER TABLE {quote(table)} " + ", ".join(
                f"ALTER COLUMN {quote(column)} SET STATISTICS {target}" for column in columns))
        return run

    return migrations.RunPython(set_target(0), set_target(-1))
