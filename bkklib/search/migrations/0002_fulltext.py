"""Create the engine's full-text structure over search_searchdoc (engine-specific; docs/admin/search.md).

SQLite: an FTS5 table with external content, kept in step by triggers. Its tokenizer keeps Thai vowel and tone marks
(Unicode category M) inside words: the default unicode61 would split "น้ำ" at its marks.
PostgreSQL: a tsvector column (built by the backend from pre-segmented words) and a GIN index.
"""
from django.db import migrations

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, title_x, author, author_x, subject, subject_x, rest, rest_x, keys, "
    "content='search_searchdoc', content_rowid='id', columnsize=0, "
    "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* M* Co'\")"
)

_COLS = "title, title_x, author, author_x, subject, subject_x, rest, rest_x, keys"
_NEW = ", ".join("new." + c.strip() for c in _COLS.split(","))
_OLD = ", ".join("old." + c.strip() for c in _COLS.split(","))
# External content is kept in step by triggers, so any DELETE (a test flush too) updates FTS5.
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER search_doc_ai AFTER INSERT ON search_searchdoc BEGIN "
    f"INSERT INTO search_fts (rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
    f"CREATE TRIGGER search_doc_ad AFTER DELETE ON search_searchdoc BEGIN "
    f"INSERT INTO search_fts (search_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD}); END",
    f"CREATE TRIGGER search_doc_au AFTER UPDATE ON search_searchdoc BEGIN "
    f"INSERT INTO search_fts (search_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO search_fts (rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FTS)
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdoc ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector")
        schema_editor.execute("CREATE INDEX search_doc_tsv ON search_searchdoc USING gin (tsv) WITH (fastupdate = on)")
    else:
        raise NotImplementedError(f"bkklib search has no backend for {vendor}")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("search_doc_ai", "search_doc_ad", "search_doc_au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_doc_tsv")
        schema_editor.execute("ALTER TABLE search_searchdoc DROP COLUMN IF EXISTS tsv")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index_tables")]

    operations = [migrations.RunPython(forwards, backwards)]
