"""PostgreSQL: give every stored tsvector the pair lexemes of its neighbouring words (and field lexemes).

Phrase queries ask for the pairs of their words (backends/postgresql.py), which the GIN index answers
without reading rows; documents indexed before this migration are rewritten from the words the index
itself stores (no catalog read). About a minute per 100,000 documents; nothing to do on SQLite, whose
FTS5 position lists answer phrases as before.
"""
from django.db import migrations


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    from bkklib.search.backends.postgresql import rewrite_tsvectors

    rewrite_tsvectors(conn)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_field_lexemes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
