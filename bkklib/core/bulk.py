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
