"""core.bulk.keep_statistics: a bulk load leaves PostgreSQL's planner statistics current."""
import pytest
from django.db import connection

from bkklib.core import bulk
from bkklib.core.models import MessageTemplate


def flush_counters():
    # Table counters reach the statistics views at most once a second; make this backend send its now.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")


def analysed(table: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_analyze, n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = %s",
                       [table])
        return cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL's planner")
@pytest.mark.django_db(transaction=True)
def test_a_table_grown_past_the_threshold_is_analysed_once():
    if connection.pg_version < 150000:
        pytest.skip("pg_stat_force_next_flush is PostgreSQL 15's")
    table = MessageTemplate._meta.db_table
    MessageTemplate.objects.bulk_create(
        [MessageTemplate(code=f"stats-{i}", subject_th=f"เรื่อง {i}", body_th="ข้อความ") for i in range(60)])
    flush_counters()
    assert analysed(table)[1] >= 60

    assert bulk.keep_statistics([MessageTemplate], threshold=1000) == []  # 60 changes: below the threshold
    assert bulk.keep_statistics([MessageTemplate], threshold=10, scale=0.0) == [table]
    flush_counters()
    last_analyze, changed = analysed(table)
    assert last_analyze is not None and changed == 0
    assert bulk.keep_statistics([MessageTemplate], threshold=10, scale=0.0) == []  # nothing changed since


@pytest.mark.skipif(connection.vendor == "postgresql", reason="other databases have nothing to do")
@pytest.mark.django_db
def test_other_databases_analyse_nothing():
    assert bulk.keep_statistics([MessageTemplate], threshold=0, scale=0.0) == []


def statistics_targets(table: str) -> dict[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                       "AND NOT attisdropped", [table])
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics of PostgreSQL's planner")
@pytest.mark.django_db
def test_skip_statistics_takes_columns_out_of_analyze_and_puts_them_back():
    table = MessageTemplate._meta.db_table
    operation = bulk.skip_statistics(table, ["body_th", "body_en"])
    with connection.schema_editor() as editor:
        operation.code(None, editor)
    targets = statistics_targets(table)
    assert targets["body_th"] == targets["body_en"] == 0
    assert targets["code"] in (-1, None)  # the others keep the default
    MessageTemplate.objects.create(code="stats-skip", subject_th="เรื่อง", body_th="ข้อความยาว " * 50)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = %s", [table])
        sampled = {row[0] for row in cursor.fetchall()}
    assert "code" in sampled and not sampled & {"body_th", "body_en"}

    with connection.schema_editor() as editor:
        operation.reverse_code(None, editor)
    targets = statistics_targets(table)
    assert targets["body_th"] in (-1, None) and targets["body_en"] in (-1, None)
