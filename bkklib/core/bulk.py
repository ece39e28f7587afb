"""Fast multi-row INSERT of model instances, for bulk loads (MARC import, demo data).

Django's ``bulk_create`` prepares every value of every row through the field's full preparation
chain; for an import of thousands of records a second that preparation costs more than the
database's work. ``insert_rows`` decides once per column how its values are turned into database
values (as they are: text, numbers, booleans, keys; through the field otherwise: dates, decimals,
JSON), fills ``auto_now``/``auto_now_add`` once per call, and sends one multi-row INSERT per chunk
(with RETURNING of the new ids where asked). Like ``bulk_create`` it sends no signals: callers
that need audit rows write them themselves.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, SmallAutoField
from django.utils import timezone

# Columns whose Python values the database drivers take as they are.
PLAIN = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "IntegerField", "BigIntegerField",
         "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField",
         "BooleanField", "ForeignKey", "OneToOneField"}
MAX_PARAMS = {"sqlite": 32_000, "postgresql": 60_000}


def insert_rows(model, objs: Sequence, *, returning: bool = False, chunk_rows: int = 1000) -> list[int]:
    """INSERT ``objs`` (unsaved instances of ``model``); return their new ids in order when ``returning``.

    The ids are also set on the instances. Raise the database's IntegrityError on a constraint.
    """
    if not objs:
        return []
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    fields = [f for f in opts.concrete_fields
              if not (f.primary_key and isinstance(f, (AutoField, BigAutoField, SmallAutoField)))]
    now = timezone.now()
    columns = []
    for f in fields:
        stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        plain = f.get_internal_type() in PLAIN and not stamped
        stamp = f.get_db_prep_save(now if f.get_internal_type() == "DateTimeField" else now.date(), connection) \
            if stamped else None
        columns.append((f, plain, stamped, stamp))
    for f, _plain, stamped, _stamp in columns:  # the instances show what was stored, as after save()
        if stamped:
            value = now if f.get_internal_type() == "DateTimeField" else now.date()
            for obj in objs:
                setattr(obj, f.attname, value)
    rows_per_chunk = max(1, min(chunk_rows, MAX_PARAMS.get(connection.vendor, 999) // max(1, len(fields))))
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(opts.pk.column)}" if returning else ""
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(objs), rows_per_chunk):
            chunk = objs[start:start + rows_per_chunk]
            params = []
            for obj in chunk:
                for f, plain, stamped, stamp in columns:
                    if stamped:
                        params.append(stamp)
                    elif plain:
                        params.append(getattr(obj, f.attname))
                    else:
                        params.append(f.get_db_prep_save(getattr(obj, f.attname), connection))
            cursor.execute(head + ", ".join([row_sql] * len(chunk)) + tail, params)
            if returning:
                new = [row[0] for row in cursor.fetchall()]
                for obj, pk in zip(chunk, new, strict=True):
                    obj.pk = pk
                    obj._state.adding, obj._state.db = False, connection.alias
                ids.extend(new)
    return ids


def insert_tuples(model, names: Sequence[str], rows: Sequence[Sequence], *, returning: bool = False,
                  raw: Sequence[str] = ()) -> list[int]:
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
    now = timezone.now()
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
            with cursor.cursor.copy(f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
            return ids
        # SQLite (and any other engine): multi-row INSERT, RETURNING the ids.
        width = len(columns)
        per_chunk = max(1, min(1000, MAX_PARAMS.get(connection.vendor, 999) // max(1, width)))
        head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES "
        row_sql = "(" + ", ".join(["%s"] * width) + ")"
        suffix = f" RETURNING {quote(pk.column)}" if returning else ""
        ids = []
        for start in range(0, len(rows), per_chunk):
            chunk = rows[start:start + per_chunk]
            params = [value for row in chunk for value in (*row, *tail)]
            cursor.execute(head + ", ".join([row_sql] * len(chunk)) + suffix, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
        return ids
