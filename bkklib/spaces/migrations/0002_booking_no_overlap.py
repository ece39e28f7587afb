"""PostgreSQL only: no two active bookings of one space may overlap (EXCLUDE USING gist).

``btree_gist`` lets a gist index compare ``space_id`` by equality beside the time range. SQLite has
no exclusion constraints: there the services' guarded write keeps the invariant (every write
transaction is BEGIN IMMEDIATE, and the overlap is checked inside it), so this migration does
nothing on SQLite.
"""
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "spaces_booking_no_overlap"

ADD = f"""
ALTER TABLE spaces_booking ADD CONSTRAINT {CONSTRAINT}
EXCLUDE USING gist (space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
WHERE (status IN ('pending', 'confirmed', 'checked_in'))
"""
DROP = f"ALTER TABLE spaces_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}"


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [
        BtreeGistExtension(),  # a no-op outside PostgreSQL
        migrations.RunPython(add, drop),
    ]
