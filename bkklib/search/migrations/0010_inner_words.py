"""Index the syllable runs inside Thai pieces the word list does not know ("อัล" of "ดาวอัลเดรามิน").

``analysis.weak_words`` now adds ``syllables.inner_words`` to ``rest_x``. Documents indexed before this
migration get them from the words the index itself stores (no catalog read), by the same rewrite as
0009: ``rest_x`` becomes ``weak_words`` of the stored runs; on PostgreSQL the row's tsvector is
rewritten, on SQLite the FTS5 triggers reindex the row. Only rows whose ``rest_x`` changes are
touched (those with a Thai piece the word list does not hold: names, loanwords).
"""
import importlib

from django.db import migrations


def forwards(apps, schema_editor):
    importlib.import_module("bkklib.search.migrations.0009_other_readings").forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_other_readings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
