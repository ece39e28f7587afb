"""Index the words of other readings of Thai runs ("ตะวันตก ดิน" beside the segmenter's "ตะวัน ตกดิน").

Documents indexed before this migration get them from the words the index itself stores (no catalog
read), as 0008 did for compounds: the runs of the title, author and subject come back from each word
column and its pair column (``analysis.stored_runs``), and ``rest_x`` becomes ``analysis.weak_words``
of them, what ``analysis.prepare`` now writes. On PostgreSQL the row's tsvector is rewritten; on
SQLite the FTS5 triggers reindex the row. Only rows whose ``rest_x`` changes are touched.
"""
from django.db import migrations

BATCH = 5000


def forwards(apps, schema_editor):
    from bkklib.search.analysis import stored_runs, weak_words
    from bkklib.search.backends.base import MAX_WORDS_PER_COLUMN, ROW_COLUMNS

    conn = schema_editor.connection
    postgres = conn.vendor == "postgresql"
    if postgres:
        from bkklib.search.backends.postgresql import tsvector_literal
    fields = [(ROW_COLUMNS.index(name), ROW_COLUMNS.index(name + "_x")) for name in ("title", "author", "subject")]
    target = ROW_COLUMNS.index("rest_x")
    last = 0
    with conn.cursor() as cur:
        while True:
            cur.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM search_searchdoc WHERE id > %s ORDER BY id LIMIT %s",
                        [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            changed = []
            for row in rows:
                runs = [stored_runs(row[words] or "", row[pairs] or "") for words, pairs in fields]
                flat = [[w for run in field_runs for w in run] for field_runs in runs]
                value = " ".join(weak_words(*flat, [run for field_runs in runs for run in field_runs])[:MAX_WORDS_PER_COLUMN])
                if value != (row[target] or ""):
                    row = list(row)
                    row[target] = value
                    changed.append(row)
            if changed and postgres:
                cur.executemany("UPDATE search_searchdoc SET rest_x = %s, tsv = %s::tsvector WHERE id = %s",
                                [(r[target], tsvector_literal(r), r[0]) for r in changed])
            elif changed:
                cur.executemany("UPDATE search_searchdoc SET rest_x = %s WHERE id = %s",
                                [(r[target], r[0]) for r in changed])


class Migration(migrations.Migration):
    dependencies = [("search", "0008_sub_words")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
