"""Index the two words of Thai compounds the word list keeps whole ("กรุงเทพมหานคร": "กรุงเทพ", "มหานคร").

Documents indexed before this migration get them from the words the index itself stores (no catalog
read): ``rest_x`` becomes ``text.sub_words`` of the title, author and subject words, what
``analysis.prepare`` now writes; on PostgreSQL the row's tsvector is rewritten with them, on SQLite
the FTS5 triggers reindex the row. Only rows with such a compound are touched.
"""
from django.db import migrations

BATCH = 5000


def forwards(apps, schema_editor):
    from bkklib.search.backends.base import MAX_WORDS_PER_COLUMN, ROW_COLUMNS
    from bkklib.search.text import sub_words

    conn = schema_editor.connection
    postgres = conn.vendor == "postgresql"
    if postgres:
        from bkklib.search.backends.postgresql import tsvector_literal
    sources = [ROW_COLUMNS.index(name) for name in ("title", "author", "subject")]
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
                words = sub_words(" ".join(row[i] or "" for i in sources).split())
                if words:
                    row = list(row)
                    row[target] = " ".join(words[:MAX_WORDS_PER_COLUMN])
                    changed.append(row)
            if changed and postgres:
                cur.executemany("UPDATE search_searchdoc SET rest_x = %s, tsv = %s::tsvector WHERE id = %s",
                                [(r[target], tsvector_literal(r), r[0]) for r in changed])
            elif changed:
                cur.executemany("UPDATE search_searchdoc SET rest_x = %s WHERE id = %s",
                                [(r[target], r[0]) for r in changed])


class Migration(migrations.Migration):
    dependencies = [("search", "0007_fts_automerge")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
