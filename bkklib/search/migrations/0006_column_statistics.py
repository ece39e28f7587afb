"""PostgreSQL: ANALYZE samples only the search documents' id, year, sort key and tsvector
(core.bulk.skip_statistics): the word and facet columns are read, never filtered on in SQL.
"""
from django.db import migrations

from bkklib.core.bulk import skip_statistics


class Migration(migrations.Migration):
    dependencies = [("search", "0005_pair_lexemes")]

    operations = [
        skip_statistics("search_searchdoc", ["title", "title_x", "author", "author_x", "subject", "subject_x",
                                             "rest", "rest_x", "keys", "facets"]),
    ]
