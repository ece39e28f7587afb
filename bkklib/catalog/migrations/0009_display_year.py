"""Years as the record gives them: ``display_year`` ("2555" for a Thai imprint) beside the normalised CE
``year`` used for sort, filters and facets. Both are re-derived from each record's own MARC (imprint years
written "พ.ศ. 2555" or in Thai digits are now read), and the search documents of records whose CE year
changed are rebuilt (the index keeps the year for filters, facets and "newest first").
"""
import json

from django.db import migrations, models

BATCH = 2000


def forwards(apps, schema_editor):
    from bkklib.catalog.indexing import reindex
    from bkklib.catalog.marc.extract import extract

    conn = schema_editor.connection
    last = 0
    with conn.cursor() as cur:
        while True:
            cur.execute("SELECT id, year, marc FROM catalog_record WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            updates, moved = [], []
            for record_id, year, marc in rows:
                extracted = extract(json.loads(marc) if isinstance(marc, str) else marc)
                updates.append((extracted.year, extracted.display_year, record_id))
                if extracted.year != year:
                    moved.append(record_id)
            cur.executemany("UPDATE catalog_record SET year = %s, display_year = %s WHERE id = %s", updates)
            if moved:
                reindex(moved)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_default_shelving_locations")]

    operations = [
        migrations.AddField(
            model_name="historicalrecord",
            name="display_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="year as published"),
        ),
        migrations.AddField(
            model_name="record",
            name="display_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="year as published"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
