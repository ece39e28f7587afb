"""Publication years: shown as the record gives them (BE for Thai imprints), one CE year for sort and filters."""
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from rest_framework.test import APIClient

from bkklib.catalog.marc.extract import extract
from bkklib.catalog.models import Record
from bkklib.search import index
from bkklib.search.documents import Document

from .factories import RecordFactory, marc_record

F008 = "120911s{}    th            000 0 tha d"


def _marc(c_values, f008_year="2012", *, ind2="1"):
    fields = [{"008": F008.format(f008_year)},
              {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": "ทดสอบ"}]}}]
    for value in c_values:
        fields.append({"264": {"ind1": " ", "ind2": ind2, "subfields": [{"b": "สำนักพิมพ์,"}, {"c": value}]}})
    return {"leader": "00000nam a2200000 i 4500", "fields": fields}


@pytest.mark.parametrize(("c", "f008_year", "expected"), [
    ("2555.", "2012", (2012, 2555)),
    ("พ.ศ. 2555", "2012", (2012, 2555)),
    ("2555 [2012]", "2012", (2012, 2555)),
    ("[๒๕๕๕?]", "    ", (2012, 2555)),
    ("พ.ศ. ๒๕๕๕", "uuuu", (2012, 2555)),
    ("c2012.", "2012", (2012, 2012)),
    ("2012.", "    ", (2012, 2012)),
    ("[n.d.]", "2012", (2012, 2012)),
    ("[ม.ป.ป.]", "    ", (None, None)),
])
def test_the_year_is_normalised_to_ce_and_shown_as_the_imprint_gives_it(c, f008_year, expected):
    out = extract(_marc([c], f008_year))
    assert (out.year, out.display_year) == expected


def test_the_publication_date_is_read_before_a_copyright_date():
    marc = _marc([], "    ")
    marc["fields"] += [{"264": {"ind1": " ", "ind2": "4", "subfields": [{"c": "©2010"}]}},
                       {"264": {"ind1": " ", "ind2": "1", "subfields": [{"c": "2555."}]}}]
    out = extract(marc)
    assert (out.year, out.display_year) == (2012, 2555)


@pytest.mark.django_db
def test_the_api_gives_both_years_and_takes_a_year_range_in_either_era():
    thai = RecordFactory(title="แมวเก้าชีวิต", year=2012)
    RecordFactory(title="แมวอังกฤษ", year=2015, language="eng")
    api = APIClient()
    body = api.get("/api/v1/records/", {"q": "แมว", "year_from": 2555, "year_to": 2555}).json()
    assert [(r["id"], r["year"], r["display_year"]) for r in body["results"]] == [(thai.pk, 2012, 2555)]
    body = api.get("/api/v1/records/", {"q": "แมว", "year_from": 2012, "year_to": 2012}).json()
    assert [r["id"] for r in body["results"]] == [thai.pk]
    for year in ("2555", "2012"):
        body = api.get("/api/v1/records/", {"year": year, "facets": "year"}).json()
        assert [r["id"] for r in body["results"]] == [thai.pk]
        assert body["facets"]["year"] == [{"value": "2012", "count": 1}]


@pytest.mark.django_db
def test_the_migration_rederives_both_years_and_reindexes_records_whose_year_moved():
    record = RecordFactory(title="แมวเก้าชีวิต", year=2012)
    Record.objects.filter(pk=record.pk).update(year=2555, display_year=None)  # as a CE-only import stored it
    index.index_documents([Document(id=record.pk, title="แมวเก้าชีวิต", year=1900, facets={"year": ["1900"]})])
    migration = importlib.import_module("bkklib.catalog.migrations.0009_display_year")

    migration.forwards(None, SimpleNamespace(connection=connection))

    record.refresh_from_db()
    assert (record.year, record.display_year) == (2012, 2555)
    assert [h.id for h in index.search("แมว", year_from=2555, year_to=2555).hits] == [record.pk]


def test_a_record_without_an_imprint_shows_its_coded_year():
    marc = marc_record("x", year=1999, language="eng")
    marc["fields"] = [f for f in marc["fields"] if "264" not in f]
    out = extract(marc)
    assert (out.year, out.display_year) == (1999, 1999)
