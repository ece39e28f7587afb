"""Index the syllable runs inside Thai pieces the word list does not know ("อัล" of "ดาวอัลเดรามิน").

``analysis.weak_words`` now ends ``rest_x`` with ``syllables.inner_words`` of the title, author and
subject runs. Documents indexed before this migration get them from the words the index itself
stores (no catalog read): the runs come back from each word column and its pair column
(``analysis.stored_runs``) and their inner words are appended to ``rest_x`` (what ``prepare`` now
writes: the earlier weak words first, each word once). Only rows holding a Thai word the word list
does not know are looked at closely, and only rows whose ``rest_x`` changes are written; on
PostgreSQL their tsvector is rewritten, on SQLite the FTS5 triggers reindex them.
"""
from django.db import migrations

BATCH = 5000


def forwards(apps, schema_editor):
    from bkklib.search.analysis import stored_runs
    from bkklib.search.backends.base import MAX_WORDS_PER_COLUMN, ROW_COLUMNS
    from bkklib.search.syllables import inner_words
    from bkklib.search.text import dictionary, has_thai

    known = dictionary()
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
                if not any(has_thai(w) and w not in known for words, _pairs in fields for w in (row[words] or "").split()):
                    continue  # every Thai word is a word of the list: no inner words
                runs = [run for words, pairs in fields for run in stored_runs(row[words] or "", row[pairs] or "")]
                before = (row[target] or "").split()
                value = " ".join(list(dict.fromkeys(before + inner_words(runs)))[:MAX_WORDS_PER_COLUMN])
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
    dependencies = [("search", "0009_other_readings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
