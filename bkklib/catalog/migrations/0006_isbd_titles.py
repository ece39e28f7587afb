"""Display titles keep their ISBD separators ("Title : subtitle"; extract._title): records imported or
catalogued before get theirs from their own MARC, and their search documents are rebuilt (the exact-title
keys of the title proper alone). Only records whose title changes are touched.
"""
import json

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    from bkklib.catalog.indexing import reindex
    from bkklib.catalog.marc.extract import extract

    conn = schema_editor.connection
    last = 0
    with conn.cursor() as cur:
        while True:
            cur.execute("SELECT id, title, marc FROM catalog_record WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            changed = []
            for record_id, title, marc in rows:
                marc = json.loads(marc) if isinstance(marc, str) else marc
                new = extract(marc).title
                if new != title:
                    changed.append((new, record_id))
            if changed:
                cur.executemany("UPDATE catalog_record SET title = %s WHERE id = %s", changed)
                reindex([record_id for _title, record_id in changed])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_column_statistics"), ("search", "0009_other_readings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
