"""SRU 1.2 and 2.0 at /sru: explain and searchRetrieve with CQL, records as MARCXML or Dublin Core.

A CQL query is turned into the search box's query language (``title:`` ``author:`` ``subject:``
``isbn:``, quotes, AND/OR/NOT) and run by the same engine as the OPAC (``search.index.search``),
so SRU clients find what readers find, Thai word segmentation included. Paging by
``startRecord``/``maximumRecords``; errors are SRU diagnostics (info:srw/diagnostic/1/N).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from bkklib.catalog.marc import writer
from bkklib.catalog.models import Record
from bkklib.search import index as search_index

from . import cql, oai

DEFAULT_RECORDS = 10
MAX_RECORDS = 100
SCHEMAS = {  # short name -> (identifier, title)
    "marcxml": ("info:srw/schema/1/marcxml-v1.1", "MARCXML"),
    "dc": ("info:srw/schema/1/dc-v1.1", "Dublin Core"),
}
SCHEMA_ALIASES = {"marcxml": "marcxml", "marc21": "marcxml", "info:srw/schema/1/marcxml-v1.1": "marcxml",
                  "info:srw/schema/1/marcxml-1.1": "marcxml", "dc": "dc", "info:srw/schema/1/dc-v1.1": "dc",
                  "oai_dc": "dc"}
INDEXES = {
    "": None, "cql.serverchoice": None, "cql.anywhere": None, "cql.keywords": None, "anywhere": None,
    "dc.anywhere": None, "bath.any": None,
    "dc.title": "title", "title": "title", "bath.title": "title",
    "dc.creator": "author", "dc.author": "author", "creator": "author", "author": "author", "bath.author": "author",
    "bath.name": "author", "dc.contributor": "author",
    "dc.subject": "subject", "subject": "subject", "bath.subject": "subject",
    "dc.identifier": "isbn", "bath.isbn": "isbn", "isbn": "isbn", "bath.issn": "isbn",
    "rec.id": "id",
}
NS = {
    "1.2": ("http://www.loc.gov/zing/srw/", "http://www.loc.gov/zing/srw/diagnostic/"),
    "2.0": ("http://docs.oasis-open.org/ns/search-ws/sruResponse", "http://docs.oasis-open.org/ns/search-ws/diagnostic"),
}


@dataclass
class Diagnostic(Exception):
    number: int
    message: str
    details: str = ""


@dataclass
class Answer:
    total: int = 0
    records: list[Record] = field(default_factory=list)
    next_position: int | None = None


# --- CQL to the search box's language -------------------------------------------------------------

def _words(term: str) -> list[str]:
    return [w for w in term.replace('"', " ").replace("*", " ").replace("?", " ").split() if w]


def _render(node) -> str:
    if isinstance(node, cql.Bool):
        if node.op == "or":
            return f"({_render(node.left)}) OR ({_render(node.right)})"
        if node.op == "not":
            return f"({_render(node.left)}) NOT ({_render(node.right)})"
        return f"({_render(node.left)}) AND ({_render(node.right)})"  # and; prox is read as and
    index = node.index.lower()
    if index not in INDEXES:
        raise Diagnostic(16, "Unsupported index", node.index)
    name = INDEXES[index]
    if name == "id":
        raise Diagnostic(48, "Query feature unsupported", "rec.id can only be searched on its own")
    words = _words(node.term)
    if not words:
        raise Diagnostic(27, "Empty term unsupported", node.index or "cql.serverChoice")
    prefix = f"{name}:" if name else ""
    relation = node.relation
    if relation in ("=", "all"):
        return " ".join(f'{prefix}"{w}"' if name == "isbn" else f"{prefix}{w}" for w in words)
    if relation == "any":
        return "(" + " OR ".join(f"{prefix}{w}" for w in words) + ")"
    if relation in ("==", "exact", "adj"):
        return f'{prefix}"{" ".join(words)}"'
    if relation == "<>":
        return "NOT " + f'{prefix}"{" ".join(words)}"'
    raise Diagnostic(19, "Unsupported relation", relation)


def translate(query: str) -> tuple[str | None, list[int] | None]:
    """Return the search-box query for a CQL query, or the record ids of a ``rec.id`` query."""
    try:
        tree = cql.parse(query)
    except cql.CqlError as exc:
        raise Diagnostic(exc.number, exc.message, exc.details) from None
    if isinstance(tree, cql.Clause) and tree.index.lower() == "rec.id":
        if tree.relation not in ("=", "==", "exact") or not tree.term.strip().isdigit():
            raise Diagnostic(19, "Unsupported relation", tree.relation)
        return None, [int(tree.term.strip())]
    return _render(tree), None


# --- Searching -------------------------------------------------------------------------------------

def search(query: str, *, start: int, maximum: int) -> Answer:
    text, ids = translate(query)
    if ids is not None:
        records = list(Record.objects.filter(pk__in=ids))
        shown = records[start - 1:start - 1 + maximum] if maximum else []
        return Answer(len(records), shown, None)
    if maximum == 0:
        result = search_index.search(text, page=1, page_size=1)
        if result.query_error:
            raise Diagnostic(10, "Query syntax error", result.query_error)
        return Answer(result.total, [], None)
    offset = start - 1
    first_page = offset // maximum + 1
    result = search_index.search(text, page=first_page, page_size=maximum)
    if result.query_error:
        raise Diagnostic(10, "Query syntax error", result.query_error)
    hits = result.hits[offset % maximum:]
    if offset % maximum and len(hits) < maximum and first_page * maximum < result.total:
        hits += search_index.search(text, page=first_page + 1, page_size=maximum).hits[: maximum - len(hits)]
    hits = hits[:maximum]
    by_id = Record.objects.in_bulk([h.id for h in hits])
    records = [by_id[h.id] for h in hits if h.id in by_id]
    end = offset + len(hits)
    return Answer(result.total, records, end + 1 if end < result.total else None)


# --- Writing --------------------------------------------------------------------------------------

def record_data(record: Record, schema: str) -> str:
    if schema == "dc":
        return (oai.dublin_core(record)
                .replace('xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"',
                         'xmlns:srw_dc="info:srw/schema/1/dc-schema"')
                .replace("oai_dc:dc", "srw_dc:dc"))
    body = writer.to_marcxml_record(record.marc, indent="")
    return body.replace("<record>", f'<record xmlns="{writer.MARCXML_NS}">', 1)


def diagnostic_xml(diagnostic: Diagnostic, version: str, prefix: str = "diag") -> str:
    ns = NS[version][1]
    details = f"<{prefix}:details>{escape(diagnostic.details)}</{prefix}:details>" if diagnostic.details else ""
    return (f'<{prefix}:diagnostic xmlns:{prefix}="{ns}"><{prefix}:uri>info:srw/diagnostic/1/{diagnostic.number}'
            f"</{prefix}:uri>{details}<{prefix}:message>{escape(diagnostic.message)}</{prefix}:message>"
            f"</{prefix}:diagnostic>")


def search_response(params: dict[str, str], version: str) -> str:
    ns = NS[version][0]
    diagnostics: list[Diagnostic] = []
    answer = Answer()
    schema = "marcxml"
    escaping = params.get("recordXMLEscaping" if version == "2.0" else "recordPacking", "xml")
    try:
        schema = SCHEMA_ALIASES.get(params.get("recordSchema", "marcxml"))
        if schema is None:
            raise Diagnostic(66, "Unknown schema for retrieval", params.get("recordSchema", ""))
        if escaping not in ("xml", "string"):
            raise Diagnostic(71, "Unsupported record packing", escaping)
        try:
            start = int(params.get("startRecord", "1"))
            maximum = int(params.get("maximumRecords", str(DEFAULT_RECORDS)))
        except ValueError:
            raise Diagnostic(6, "Unsupported parameter value", "startRecord/maximumRecords") from None
        if start < 1:
            raise Diagnostic(6, "Unsupported parameter value", "startRecord")
        if maximum < 0:
            raise Diagnostic(6, "Unsupported parameter value", "maximumRecords")
        maximum = min(maximum, MAX_RECORDS)
        if "query" not in params:
            raise Diagnostic(7, "Mandatory parameter not supplied", "query")
        answer = search(params["query"], start=start, maximum=maximum)
        if start > max(answer.total, 1) and answer.total:
            raise Diagnostic(61, "First record position out of range", str(start))
    except Diagnostic as exc:
        diagnostics.append(exc)
        answer = Answer()
    parts = [f'<zs:searchRetrieveResponse xmlns:zs="{ns}">']
    if version == "1.2":
        parts.append("<zs:version>1.2</zs:version>")
    parts.append(f"<zs:numberOfRecords>{answer.total}</zs:numberOfRecords>")
    if answer.records:
        parts.append("<zs:records>")
        start = int(params.get("startRecord", "1"))
        for position, record in enumerate(answer.records, start=start):
            data = record_data(record, schema)
            if escaping == "string":
                data = escape(data)
            packing = (f"<zs:recordXMLEscaping>{escaping}</zs:recordXMLEscaping>" if version == "2.0"
                       else f"<zs:recordPacking>{escaping}</zs:recordPacking>")
            parts.append(f"<zs:record><zs:recordSchema>{SCHEMAS[schema][0]}</zs:recordSchema>{packing}"
                         f"<zs:recordData>{data}</zs:recordData><zs:recordPosition>{position}</zs:recordPosition>"
                         "</zs:record>")
        parts.append("</zs:records>")
    if answer.next_position:
        parts.append(f"<zs:nextRecordPosition>{answer.next_position}</zs:nextRecordPosition>")
    echoed = "".join(f"<zs:{name}>{escape(value)}</zs:{name}>" for name, value in params.items()
                     if name in ("query", "startRecord", "maximumRecords", "recordSchema", "recordPacking"))
    if version == "1.2":
        parts.append(f"<zs:echoedSearchRetrieveRequest><zs:version>1.2</zs:version>{echoed}"
                     "</zs:echoedSearchRetrieveRequest>")
    if diagnostics:
        parts.append("<zs:diagnostics>" + "".join(diagnostic_xml(d, version) for d in diagnostics) + "</zs:diagnostics>")
    parts.append("</zs:searchRetrieveResponse>")
    return "".join(parts)


def explain_response(base_url: str, version: str) -> str:
    ns = NS[version][0]
    host = base_url.split("//", 1)[-1].split("/", 1)[0]
    hostname, _sep, port = host.partition(":")
    indexes = "".join(
        f'<index><title>{title}</title><map><name set="{name.split(".")[0]}">{name.split(".")[1]}</name></map></index>'
        for name, title in (("dc.title", "Title"), ("dc.creator", "Author"), ("dc.subject", "Subject"),
                            ("dc.identifier", "ISBN"), ("bath.isbn", "ISBN"), ("cql.anywhere", "Anywhere"),
                            ("rec.id", "Record id")))
    schemas = "".join(f'<schema identifier="{ident}" name="{name}"><title>{title}</title></schema>'
                      for name, (ident, title) in SCHEMAS.items())
    record = ('<explain xmlns="http://explain.z3950.org/dtd/2.0/">'
              f'<serverInfo protocol="SRU" version="{version}"><host>{escape(hostname)}</host>'
              f"<port>{escape(port or '80')}</port><database>sru</database></serverInfo>"
              "<databaseInfo><title lang=\"th\" primary=\"true\">ห้องสมุดประชาชนกรุงเทพมหานคร</title>"
              "<title lang=\"en\">Bangkok public libraries</title></databaseInfo>"
              f"<indexInfo><set identifier=\"info:srw/cql-context-set/1/dc-v1.1\" name=\"dc\"/>"
              "<set identifier=\"info:srw/cql-context-set/1/cql-v1.2\" name=\"cql\"/>"
              "<set identifier=\"http://zing.z3950.org/cql/bath/2.0/\" name=\"bath\"/>"
              "<set identifier=\"info:srw/cql-context-set/2/rec-1.1\" name=\"rec\"/>"
              f"{indexes}</indexInfo><schemaInfo>{schemas}</schemaInfo>"
              f"<configInfo><default type=\"numberOfRecords\">{DEFAULT_RECORDS}</default>"
              f"<setting type=\"maximumRecords\">{MAX_RECORDS}</setting></configInfo></explain>")
    packing = "<zs:recordXMLEscaping>xml</zs:recordXMLEscaping>" if version == "2.0" else \
        "<zs:recordPacking>xml</zs:recordPacking>"
    version_xml = "<zs:version>1.2</zs:version>" if version == "1.2" else ""
    return (f'<zs:explainResponse xmlns:zs="{ns}">{version_xml}<zs:record>'
            f"<zs:recordSchema>http://explain.z3950.org/dtd/2.0/</zs:recordSchema>{packing}"
            f"<zs:recordData>{record}</zs:recordData></zs:record></zs:explainResponse>")


def respond(params: dict[str, str], base_url: str) -> str:
    version = params.get("version", "1.2")
    if version not in NS:
        version = "2.0" if version.startswith("2") else "1.2"
        body = (f'<zs:explainResponse xmlns:zs="{NS[version][0]}"><zs:diagnostics>'
                + diagnostic_xml(Diagnostic(5, "Unsupported version", params.get("version", "")), version)
                + "</zs:diagnostics></zs:explainResponse>")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body
    operation = params.get("operation") or ("searchRetrieve" if "query" in params else "explain")
    if operation == "searchRetrieve":
        body = search_response(params, version)
    elif operation == "explain":
        body = explain_response(base_url, version)
    else:
        body = (f'<zs:searchRetrieveResponse xmlns:zs="{NS[version][0]}"><zs:numberOfRecords>0</zs:numberOfRecords>'
                "<zs:diagnostics>" + diagnostic_xml(Diagnostic(4, "Unsupported operation", operation), version)
                + "</zs:diagnostics></zs:searchRetrieveResponse>")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


