"""SRU at /sru: CQL read into the OPAC's search, records as MARCXML or DC, paging and diagnostics, and
real clients (yaz-client and zoomsh from YAZ) finding a Thai title over HTTP."""
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import requests

from bkklib.catalog.tests.factories import RecordFactory
from bkklib.circulation.tests.conftest import load_reference_data
from bkklib.interop import cql, sru

ZS = "{http://www.loc.gov/zing/srw/}"


@pytest.mark.parametrize("query,expected", [
    ("ลุงบุญมี", "ลุงบุญมี"),
    ('dc.title = "ข้างหลังภาพ"', "title:ข้างหลังภาพ"),
    ('dc.title adj "ข้างหลัง ภาพ"', 'title:"ข้างหลัง ภาพ"'),
    ("dc.creator all \"ศรี บูรพา\"", "author:ศรี author:บูรพา"),
    ("dc.subject any \"นิทาน ตำนาน\"", "(subject:นิทาน OR subject:ตำนาน)"),
    ("bath.isbn = 9786161836385", 'isbn:"9786161836385"'),
    ("title=a and (author=b or subject=c) not cql.anywhere=d",
     "((title:a) AND ((author:b) OR (subject:c))) NOT (d)"),
    ("a prox/unit=word b", "(a) AND (b)"),
])
def test_cql_becomes_the_search_box_language(query, expected):
    assert sru.translate(query) == (expected, None)


@pytest.mark.parametrize("query,number", [
    ("dc.title =", 10), ("(a", 13), ("a and", 10), ("dc.price = 5", 16), ("dc.title < b", 19),
    ("rec.id = 5 and a", 48), ("a sortby title", 80), ('dc.title = ""', 27), ("", 10),
])
def test_bad_cql_gets_its_diagnostic_number(query, number):
    with pytest.raises(sru.Diagnostic) as refused:
        sru.translate(query)
    assert refused.value.number == number


def test_cql_parser_reads_modifiers_and_quoted_escapes():
    tree = cql.parse('dc.title =/relevant "say \\"hi\\"" or/rel.combine=sum b')
    assert tree == cql.Bool("or", cql.Clause("dc.title", "=", 'say "hi"'), cql.Clause("", "=", "b"))


@pytest.fixture
def catalogue(transactional_db):
    load_reference_data()
    thai = RecordFactory(title="ลุงบุญมีระลึกชาติ", author="อภิชาติพงศ์ วีระเศรษฐกุล")
    others = [RecordFactory(title=f"นิทานพื้นบ้านภาคเหนือ เล่ม {n}", author="ผู้เล่า") for n in range(1, 13)]
    return thai, others


def get(live_server, **params):
    answer = requests.get(f"{live_server.url}/sru", params=params, timeout=20)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/xml")
    return ET.fromstring(answer.content)


@pytest.mark.django_db(transaction=True)
def test_search_retrieve_paging_schemas_and_diagnostics(live_server, catalogue):
    thai, others = catalogue
    root = get(live_server, version="1.2", operation="searchRetrieve", query='dc.title = "ลุงบุญมีระลึกชาติ"',
               recordSchema="marcxml")
    assert root.find(f"{ZS}numberOfRecords").text == "1"
    data = root.find(f"{ZS}records/{ZS}record/{ZS}recordData")
    marc = data.find("{http://www.loc.gov/MARC21/slim}record")
    titles = [sf.text for sf in marc.iter("{http://www.loc.gov/MARC21/slim}subfield")]
    assert "ลุงบุญมีระลึกชาติ" in " ".join(t or "" for t in titles)
    # Paging: 12 folk tales, 5 a page from record 4 (not on a page boundary).
    root = get(live_server, version="1.2", operation="searchRetrieve", query="dc.title=นิทาน", maximumRecords="5",
               startRecord="4", recordSchema="dc")
    assert root.find(f"{ZS}numberOfRecords").text == "12"
    positions = [int(r.find(f"{ZS}recordPosition").text) for r in root.iter(f"{ZS}record")]
    assert positions == [4, 5, 6, 7, 8]
    assert root.find(f"{ZS}nextRecordPosition").text == "9"
    dc = root.find(f"{ZS}records/{ZS}record/{ZS}recordData")[0]
    assert dc.tag == "{info:srw/schema/1/dc-schema}dc"
    seen = set()
    for start in (1, 6, 11):
        page = get(live_server, version="1.2", operation="searchRetrieve", query="dc.title=นิทาน",
                   maximumRecords="5", startRecord=str(start), recordSchema="dc")
        seen |= {r.find(".//{http://purl.org/dc/elements/1.1/}title").text for r in page.iter(f"{ZS}recordData")}
    assert len(seen) == 12
    # Diagnostics in the standard's shape.
    root = get(live_server, version="1.2", operation="searchRetrieve", query="dc.price = 3")
    uri = root.find(f"{ZS}diagnostics/{{http://www.loc.gov/zing/srw/diagnostic/}}diagnostic/"
                    "{http://www.loc.gov/zing/srw/diagnostic/}uri")
    assert uri.text == "info:srw/diagnostic/1/16"
    root = get(live_server, version="1.2", operation="searchRetrieve", query="a", recordSchema="mods")
    assert root.find(".//{http://www.loc.gov/zing/srw/diagnostic/}uri").text == "info:srw/diagnostic/1/66"
    # SRU 2.0: no operation parameter, its own namespace; rec.id fetches one record.
    root = get(live_server, version="2.0", query=f"rec.id = {thai.pk}")
    ns2 = "{http://docs.oasis-open.org/ns/search-ws/sruResponse}"
    assert root.tag == f"{ns2}searchRetrieveResponse" and root.find(f"{ns2}numberOfRecords").text == "1"
    explain = get(live_server, version="1.2", operation="explain")
    assert explain.tag == f"{ZS}explainResponse"
    assert "dc.title" in ET.tostring(explain, encoding="unicode") or "title" in ET.tostring(explain, encoding="unicode")


@pytest.mark.skipif(not shutil.which("yaz-client"), reason="yaz is not installed (scripts/system-deps.sh)")
@pytest.mark.django_db(transaction=True)
def test_yaz_client_and_zoomsh_find_a_thai_title_by_sru(live_server, catalogue):
    host = live_server.url.split("//", 1)[1]
    script = f"open http://{host}/sru\nsru get 1.2\nquerytype cql\nfind dc.title=ลุงบุญมีระลึกชาติ\nshow 1\nquit\n"
    out = subprocess.run(["yaz-client"], input=script, capture_output=True, text=True, timeout=60).stdout
    assert "Number of hits: 1" in out and "ลุงบุญมีระลึกชาติ" in out
    out = subprocess.run(["zoomsh", "set sru get", f"connect http://{host}/sru",
                          "search cql:dc.title=นิทาน", "quit"], capture_output=True, text=True, timeout=60).stdout
    assert "12 hits" in out
