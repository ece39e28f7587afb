"""OAI-PMH at /oai, harvested over real HTTP by Sickle: every record exactly once, Thai intact, deletions
kept, sets and dates, the protocol's own errors."""
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from sickle import Sickle
from sickle import oaiexceptions as oai_errors

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Record
from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
from bkklib.circulation.tests.conftest import load_reference_data
from bkklib.interop import oai
from bkklib.network.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = ["ลุงบุญมีระลึกชาติ", "ปั้นดินให้เป็นดาว", "ญี่ปุ่นในสายตาคนไทย", "Harry Potter and the Philosopher's Stone"]


@pytest.fixture
def catalogue(transactional_db, monkeypatch):
    load_reference_data()
    monkeypatch.setitem(oai.PAGE_SIZE, "ListRecords", 7)
    monkeypatch.setitem(oai.PAGE_SIZE, "ListIdentifiers", 9)
    north, south = BranchFactory(code="north"), BranchFactory(code="south")
    records = [RecordFactory(title=f"{TITLES[n % 4]} เล่ม {n}") for n in range(40)]
    for n, record in enumerate(records[:10]):
        ItemFactory(record=record, branch=north if n % 2 else south)
    return records


def harvester(live_server) -> Sickle:
    return Sickle(f"{live_server.url}/oai", max_retries=0)


def ids(headers) -> list[int]:
    return [int(h.identifier.rsplit(":", 1)[1]) for h in headers]


def test_full_harvest_each_record_once_with_thai_titles(live_server, catalogue):
    sickle = harvester(live_server)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    assert sorted(ids(r.header for r in records)) == sorted(r.pk for r in catalogue)
    by_id = {int(r.header.identifier.rsplit(":", 1)[1]): r for r in records}
    first = catalogue[0]
    assert by_id[first.pk].metadata["title"] == [first.title]
    assert by_id[first.pk].metadata["language"] == ["tha"]
    marc = list(sickle.ListRecords(metadataPrefix="marc21"))
    assert len(marc) == 40
    assert "ลุงบุญมีระลึกชาติ" in marc[0].raw and "http://www.loc.gov/MARC21/slim" in marc[0].raw
    assert len(list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))) == 40


def test_harvest_while_records_are_edited_and_added(live_server, catalogue):
    """Edits and new records between pages: each record still comes exactly once."""
    harvest = harvester(live_server).ListIdentifiers(metadataPrefix="oai_dc")
    seen = []
    for n, head in enumerate(harvest):
        seen.append(head)
        if n == 10:  # edit records already sent and records not yet sent, add two
            for record in (catalogue[2], catalogue[30], catalogue[39]):
                marc = record.marc
                catalog_services.save_record(marc, record=record)
            RecordFactory(title="เพิ่มระหว่างเก็บเกี่ยว 1")
            RecordFactory(title="เพิ่มระหว่างเก็บเกี่ยว 2")
    got = ids(seen)
    assert len(got) == len(set(got)) == 42
    assert set(got) == set(Record.objects.values_list("pk", flat=True))


def test_sets_dates_and_deleted_records(live_server, catalogue):
    sickle = harvester(live_server)
    sets = {s.setSpec for s in sickle.ListSets()}
    assert {"branch:north", "branch:south", "type:book"} <= sets
    north = ids(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="branch:north"))
    assert sorted(north) == sorted(r.pk for n, r in enumerate(catalogue[:10]) if n % 2)
    gone = catalogue[20]
    gone_id = gone.pk
    catalog_services.delete_record(gone)
    future = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d")
    today = timezone.now().strftime("%Y-%m-%d")
    recent = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": today}))
    deleted = [h for h in recent if h.deleted]
    assert ids(deleted) == [gone_id]
    record = sickle.GetRecord(identifier=oai.oai_identifier(gone_id), metadataPrefix="oai_dc")
    assert record.header.deleted
    with pytest.raises(oai_errors.NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": future}))
    formats = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
    assert formats == ["oai_dc", "marc21"]
    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent" and identify.protocolVersion == "2.0"


def test_protocol_errors(live_server, catalogue):
    sickle = harvester(live_server)
    with pytest.raises(oai_errors.CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="mods"))
    with pytest.raises(oai_errors.IdDoesNotExist):
        sickle.GetRecord(identifier="oai:elsewhere:1", metadataPrefix="oai_dc")
    with pytest.raises(oai_errors.BadResumptionToken):
        list(sickle.ListRecords(resumptionToken="forged"))
    with pytest.raises(oai_errors.BadArgument):
        list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2026-13-45"}))
    with pytest.raises(oai_errors.BadArgument):
        list(sickle.ListRecords(metadataPrefix="oai_dc", set="branch:"))
    answer = requests.get(f"{live_server.url}/oai", params={"verb": "ListEverything"}, timeout=10).text
    assert '<error code="badVerb">' in answer and "<request>" in answer  # no attributes echoed on badVerb
