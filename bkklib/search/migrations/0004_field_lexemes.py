"""PostgreSQL: field-prefixed lexemes of title, author and subject words in every stored tsvector.

Field queries (``title:``...) match those lexemes (backends/postgresql.py). The rewrite of the stored
tsvectors this migration did is now done once by ``0005_pair_lexemes``, which writes these lexemes
and the pair lexemes of neighbouring words (a database still before 0004 is rewritten once, not twice).
"""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0003_term_tail")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
