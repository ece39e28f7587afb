"""Fixtures of the search tests: documents, and a second index on SQLite to compare engines."""
import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

from bkklib.search import docvalues
from bkklib.search.documents import Document
from bkklib.search.models import SearchDoc, SearchLog, SearchState, SearchTerm


def make_doc(id, title, *, branch=("B01",), material_type="book", language="tha", year=2020,
             available=True, **kw) -> Document:
    """Return a Document with the facet values the catalog gives."""
    facets = {
        "branch": list(branch),
        "material_type": [material_type],
        "language": [language],
        "availability": ["available" if available else "unavailable"],
    }
    if year:
        facets["year"] = [str(year)]
    return Document(id=id, title=title, sort_title=title, year=year, facets=facets, **kw)


@pytest.fixture(autouse=True)
def _fresh_docvalues():
    """Each test starts without this process's in-memory facet data of earlier tests."""
    docvalues.forget()
    yield
    docvalues.forget()


def _aux_sqlite():
    import importlib

    fulltext = importlib.import_module("bkklib.search.migrations.0002_fulltext")
    conn = DatabaseWrapper(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "OPTIONS": {}, "TIME_ZONE": None,
         "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False,
         "TEST": {}, "USER": "", "PASSWORD": "", "HOST": "", "PORT": ""},
        alias="search_reference",
    )
    connections["search_reference"] = conn
    with conn.schema_editor() as editor:
        for model in (SearchDoc, SearchLog, SearchState, SearchTerm):
            editor.create_model(model)
        fulltext.forwards(None, editor)
    return conn


@pytest.fixture
def reference_index(django_db_blocker):
    """Yield a connection to a private in-memory SQLite index, to compare the engine under test with."""
    with django_db_blocker.unblock():
        conn = _aux_sqlite()
        try:
            yield conn
        finally:
            conn.close()
            del connections["search_reference"]
