"""MARCXML (and MARCXchange) read as a stream, one record element at a time."""
import codecs
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from .. import encoding as enc
from .. import is_control_tag
from ..messages import Message as _
from ..validate import DEFAULT_LEADER, TAG
from .common import (
    CHUNK,
    FIXED_FIELDS,
    NOT_MARC21,
    ReadResult,
    RecordError,
    check_code,
    classify,
    fixed_field_text,
    indicator,
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# MARCXML's namespace (any prefix), none, and MARCXchange's (ISO 25577, the same elements).
MARCXML_NAMESPACES = frozenset({"", "http://www.loc.gov/MARC21/slim", "info:lc/xmlns/marcxchange-v1",
                                "info:lc/xmlns/marcxchange-v2"})
_MARC_CHILDREN = frozenset({"leader", "controlfield", "datafield"})


def _is_marc_record(element) -> bool:
    """Return whether a <record> element is a MARC record: it has a leader or fields, or it is an empty
    <record> of MARCXML's namespace (reported as empty). An OAI-PMH envelope's <record>s (header and
    metadata around a MARC record, or around Dublin Core) are not."""
    children = {_local(child.tag) for child in element}
    if children & _MARC_CHILDREN:
        return True
    namespace = element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""
    return namespace in MARCXML_NAMESPACES and not children


def _xml_record(element, notes: list[str]) -> dict:
    leader = None
    fields = []
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            leader = child.text or ""
        elif name == "controlfield":
            tag = child.get("tag", "")
            if not TAG.match(tag):
                raise RecordError(_("“{tag}” is not a tag of three letters or digits", tag=tag), tag)
            value = enc.decode_ncr(child.text or "")
            fields.append({tag: fixed_field_text(tag, value, notes) if tag in FIXED_FIELDS else value})
        elif name == "datafield":
            tag = child.get("tag", "")
            if not TAG.match(tag):
                raise RecordError(_("“{tag}” is not a tag of three letters or digits", tag=tag), tag)
            if child.get("ind3") is not None or is_control_tag(tag):
                raise RecordError(_("data field with a third indicator or a 00X tag: not MARC 21 (danMARC?)"),
                                  NOT_MARC21)
            ind1 = indicator(tag, 1, child.get("ind1", " "), notes)
            ind2 = indicator(tag, 2, child.get("ind2", " "), notes)
            subfields = []
            for sub in child:
                if _local(sub.tag) != "subfield":
                    continue
                code = sub.get("code")
                if not code:
                    raise RecordError(_("a subfield without a code"), tag)
                subfields.append({check_code(tag, code): enc.decode_ncr(sub.text or "")})
            if not subfields:
                notes.append(_("field {tag} has no subfields: dropped", tag=tag))
                continue
            fields.append({tag: {"ind1": ind1, "ind2": ind2, "subfields": subfields}})
    return {"leader": leader, "fields": fields}


_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.S)
_XML_ENCODING = re.compile(rb"encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>", re.S)


def _xml_text_chunks(stream) -> Iterator[tuple[str, int]]:
    """Yield the XML as text chunks inside one wrapper element (so several root elements are read too)."""
    first = stream.read(CHUNK)
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    declared = _XML_DECLARATION.match(first)
    charset = "utf-8"
    if declared:
        found = _XML_ENCODING.search(declared.group(0))
        charset = found.group(1).decode("ascii") if found else "utf-8"
        first = first[declared.end():]
    first = _DOCTYPE.sub(b"", first, count=1)
    decoder = codecs.getincrementaldecoder(charset)(errors="strict")
    consumed = 0
    yield "<bkklib-wrapper>", 0
    block = first
    while block:
        consumed += len(block)
        yield decoder.decode(block), consumed
        block = stream.read(CHUNK)
    yield decoder.decode(b"", final=True) + "</bkklib-wrapper>", consumed


def read_marcxml(stream) -> Iterator[ReadResult]:
    """Yield a ReadResult for each <record> of a MARCXML stream (namespaced or not, wrapped or not)."""
    position = 0
    parser = ET.XMLPullParser(events=("end",))
    consumed = 0
    try:
        for text, consumed in _xml_text_chunks(stream):
            parser.feed(text)
            for _event, element in parser.read_events():
                if _local(element.tag) != "record" or not _is_marc_record(element):
                    continue
                position += 1
                yield _xml_result(position, element, consumed)
                element.clear()
        parser.close()
        if position == 0:
            yield ReadResult(position=1, end=consumed, tag="XML", error=_(
                "no <record> element of MARC 21 in the file (MARCXML or MARCXchange): nothing that can be imported"))
    except (ET.ParseError, UnicodeDecodeError, LookupError) as exc:
        yield ReadResult(position=position + 1, end=consumed, tag="XML",
                         error=_("the XML is not well-formed ({problem}); the rest of the file was not read",
                                 problem=str(exc)))


def _xml_result(position: int, element, consumed: int) -> ReadResult:
    result = ReadResult(position=position, encoding=enc.UTF8, end=consumed)
    try:
        record = _xml_record(element, result.notes)
        if not record["fields"]:
            result.skip_reason = _("an empty record (no fields): nothing to import")
            return result
        if record["leader"] is None or len(record["leader"]) != 24:
            result.notes.append("missing or malformed leader: a default leader was used")
            record["leader"] = DEFAULT_LEADER
        result.record = record
        result.control_number = next((v for f in record["fields"] for t, v in f.items() if t == "001"), "").strip()
        classify(result)
    except RecordError as exc:
        result.error, result.tag = exc.reason, exc.tag
        result.control_number = _xml_control_number(element)
    return result


def _xml_control_number(element) -> str:
    for child in element:
        if _local(child.tag) == "controlfield" and child.get("tag") == "001":
            return (child.text or "").strip()
    return ""
