"""PostgreSQL: ANALYZE skips the Record and Item columns no query filters or sorts on (core.bulk.skip_statistics).

The MARC record and the JSON lists made most of each ANALYZE of an import: 1.7 s for 100,000 records
against 0.55 s without them.
"""
from django.db import migrations

from bkklib.core.bulk import skip_statistics


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_index_diet")]

    operations = [
        skip_statistics("catalog_record", ["marc", "authors", "isbns", "subjects", "series", "vernacular",
                                           "responsibility"]),
        skip_statistics("catalog_item", ["notes"]),
    ]
