"""Read MARC files into MARC-in-JSON records, one ``ReadResult`` per record, never stopping at a bad one.

ISO 2709 is read with the directory when its lengths are right, and by the field (0x1E) and
record (0x1D) terminators when they are not (Thai systems count characters, not bytes); every
repair is noted on the record. MARCXML, MARC-in-JSON (one object, an array or one per line) and
MarcMaker text (.mrk) are read too. ``open_records`` detects the format.
"""
import codecs
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import encoding as enc
from . import is_control_tag
from .messages import Message as _
from .validate import BLANK_INDICATORS, DEFAULT_LEADER, INDICATOR, SUBFIELD_CODE, TAG, problems

RECORD_END = 0x1D
FIELD_END = 0x1E
SUBFIELD = 0x1F
FILLER = b"\x00\x1a\r\n\t \xef\xbb\xbf"  # NUL, DOS EOF, line breaks, blanks, a UTF-8 BOM between records
CHUNK = 1 << 20

FORMATS = ("auto", "iso2709", "marcxml", "json", "mrk")

# leader/06 types that are not bibliographic: skipped with a report line.
NON_BIBLIOGRAPHIC = {
    "z": _("authority record"), "u": _("holdings record"), "v": _("holdings record"), "x": _("holdings record"),
    "y": _("holdings record"), "w": _("classification record"), "q": _("community information record"),
}
_UNIMARC_100 = re.compile(r"^\d{8}[a-z]")


class UnsupportedFile(ValueError):
    """The whole file cannot be read (unknown format, UNIMARC...)."""


@dataclass
class ReadResult:
    """One record read from a file, or the reason it could not be read."""

    position: int  # 1-based position of the record in the file
    record: dict | None = None
    error: str = ""  # why the record was not read (empty when it was)
    tag: str = ""  # the field the error is in
    notes: list[str] = field(default_factory=list)  # repairs made while reading
    control_number: str = ""
    encoding: str = ""
    skip_reason: str = ""  # authority/holdings records: read but not bibliographic
    offset: int = 0  # where the record starts (byte offset or line number)
    end: int = 0  # bytes of the file consumed so far (progress)
    # The fields are already in the normal structure (indicators set, one code per subfield dict):
    # what the ISO 2709 reader makes, so validate.normalise need not rebuild them.
    structured: bool = False

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.error and not self.skip_reason


class RecordError(ValueError):
    def __init__(self, reason: str, tag: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.tag = tag


NOT_MARC21 = "NOT_MARC21"


def shown(value: str) -> str:
    """Return a character of a record for a report: itself when printable, else its code (U+0014)."""
    return "".join(c if c.isprintable() and c != "\ufffd" else f"U+{ord(c):04X}" for c in value)


def indicator(tag: str, number: int, value: str, notes: list[str]) -> str:
    """Return a valid indicator for ``value``: blank notations ("#", "\\", missing) and anything else that
    is not a digit, a lower-case letter or blank become blank, with a note. MARC::Record and yaz read such
    records too; losing a whole record for one local field's indicator ("-" in an 876) would be worse."""
    if INDICATOR.match(value):
        return value
    if value in BLANK_INDICATORS:
        if value == "":
            notes.append(_("field {tag}: indicator {number} missing: read as blank", tag=tag, number=number))
        elif value == "\u00a0":
            notes.append(_("field {tag}: indicator {number} (a no-break space) read as blank", tag=tag, number=number))
        else:
            notes.append(_("field {tag}: indicator {number} “{value}” read as blank", tag=tag, number=number,
                           value=value))
        return " "
    notes.append(_("field {tag}: indicator {number} “{value}” is not a digit, a lower-case letter or blank: set to "
                   "blank", tag=tag, number=number, value=shown(value)))
    return " "


def _utf8_char(data: bytes) -> bool:
    try:
        return len(data.decode("utf-8")) == 1
    except UnicodeDecodeError:
        return False


def check_code(tag: str, code: str, raw: bytes = b"") -> str:
    """Return ``code`` when it can be a subfield code; raise RecordError naming it otherwise."""
    if SUBFIELD_CODE.match(code):
        return code
    if raw[:1] >= b"\x80":  # name the bytes too: a character of the record's charset may take several
        size = next((n for n in range(2, 5) if _utf8_char(raw[:n])), 1)
        codes = " ".join(f"0x{b:02X}" for b in raw[:size])
        said = _("“{char}” (bytes {codes})", char=raw[:size].decode("utf-8"), codes=codes) if size > 1 else \
            _("(byte {codes})", codes=codes)
    else:
        said = f"“{shown(code)}”"
    raise RecordError(_("subfield code {code} is not a letter, a digit or an ASCII symbol", code=said), tag)


def classify(result: ReadResult) -> ReadResult:
    """Mark non-bibliographic and UNIMARC records (read, but not to be imported)."""
    record = result.record
    if record is None:
        return result
    kind = NON_BIBLIOGRAPHIC.get(record["leader"][6:7])
    if kind:
        result.skip_reason = kind
        return result
    tags = {next(iter(f)) for f in record["fields"]}
    if "200" in tags and "245" not in tags:
        f100 = next((v for f in record["fields"] for t, v in f.items() if t == "100" and isinstance(v, dict)), None)
        a100 = next((s.get("a", "") for s in (f100 or {}).get("subfields", []) if "a" in s), "")
        if _UNIMARC_100.match(a100) or "001" in tags:
            result.error = "UNIMARC"
    return result


# --- ISO 2709 ---------------------------------------------------------------------------------


def iter_iso2709_chunks(stream) -> Iterator[tuple[int, bytes, bool]]:
    """Yield ``(offset, bytes, terminated)`` for each record of an ISO 2709 byte stream (0x1D split)."""
    buffer = b""
    offset = 0
    while True:
        block = stream.read(CHUNK)
        if not block:
            break
        buffer += block
        start = 0
        while True:
            end = buffer.find(b"\x1d", start)
            if end == -1:
                break
            yield offset + start, buffer[start:end], True
            start = end + 1
        offset += start
        buffer = buffer[start:]
    if buffer.strip(FILLER):
        yield offset, buffer, False


def _ascii(data: bytes) -> str:
    return data.decode("latin-1")


def _directory_entries(directory: bytes) -> tuple[list[tuple], bool]:
    """Return the directory's ``(tag, length, start)`` entries, and whether all lengths and starts are numbers
    (those that are not are ``None``); raise RecordError for an entry whose tag is not a tag."""
    text = directory.decode("latin-1")
    if _DIRECTORY.fullmatch(text):  # the common case: every entry well-formed, read at once
        return [(tag, int(length), int(start)) for tag, length, start in _ENTRY.findall(text)], True
    entries, numeric = [], True
    for i in range(0, len(directory), 12):
        entry = directory[i:i + 12]
        tag = _ascii(entry[:3])
        if not TAG.match(tag):
            raise RecordError(_("directory entry {number} has tag “{tag}”, not three letters or digits",
                                number=i // 12 + 1, tag=tag), tag)
        length, start = entry[3:7], entry[7:12]
        if length.isdigit() and start.isdigit():
            entries.append((tag, int(length), int(start)))
        else:
            numeric = False
            entries.append((tag, None, None))
    return entries, numeric


def parse_iso2709(chunk: bytes, *, forced_encoding: str | None = None) -> tuple[dict, list[str], str]:
    """Return ``(record, notes, encoding)`` of one ISO 2709 record (without its 0x1D); raise RecordError."""
    notes: list[str] = []
    stripped = chunk.lstrip(FILLER)
    if len(stripped) != len(chunk):
        notes.append(_("skipped {count} filler byte(s) before the leader", count=len(chunk) - len(stripped)))
        chunk = stripped
    if len(chunk) < 25:
        raise RecordError(_("only {count} bytes: too short for a leader and a directory", count=len(chunk)), "LDR")
    chunk = _repair_repeated_length(chunk, notes)
    leader = _ascii(chunk[:24])
    if leader[10:11].isdigit() and leader[10] != "2":
        raise RecordError(_("leader/10 says {count} indicators: not MARC 21 (danMARC or another ISO 2709 format)",
                            count=leader[10]), NOT_MARC21)
    declared = leader[:5]
    actual_length = len(chunk) + 1
    if not declared.isdigit():
        notes.append(_("record length “{value}” in the leader is not a number: record read by its terminator",
                       value=declared))
    elif int(declared) != actual_length:
        notes.append(_("leader says {declared} bytes but the record has {actual}: read by its terminators",
                       declared=int(declared), actual=actual_length))
    dir_end = chunk.find(b"\x1e", 24)
    if dir_end == -1:
        raise RecordError(_("no field terminator after the directory"), "LDR")
    directory = chunk[24:dir_end]
    if len(directory) % 12:
        raise RecordError(_("the directory is {count} bytes, not a multiple of 12 (a damaged entry)",
                            count=len(directory)), "LDR")
    base = dir_end + 1
    declared_base = leader[12:17]
    if not declared_base.isdigit() or int(declared_base) != base:
        notes.append(_("base address “{declared}” is wrong (data starts at {base}): repaired", declared=declared_base,
                       base=base))
    if leader[10:12] != "22" or leader[20:24] != "4500":
        notes.append(_("leader/10-11 “{counts}” and /20-23 “{entry_map}” are not MARC 21's 22 and 4500: read as "
                       "22/4500", counts=leader[10:12], entry_map=leader[20:24]))
    entries, numeric = _directory_entries(directory)
    if not entries:
        raise RecordError(_("the record has no fields"), "LDR")

    field_bytes = None
    if numeric:
        field_bytes = []
        for tag, length, start in entries:
            data = chunk[base + start:base + start + length]
            if length < 1 or len(data) != length or data[-1] != FIELD_END or b"\x1e" in data[:-1]:
                field_bytes = None
                break
            field_bytes.append((tag, data[:-1]))
    if field_bytes is None:
        parts = chunk[base:].split(b"\x1e")
        if parts[-1].strip(FILLER):
            notes.append(_("the last field has no field terminator"))
        else:
            parts.pop()
        if len(parts) != len(entries):
            raise RecordError(_("the directory lists {listed} fields but the data holds {held}", listed=len(entries),
                                held=len(parts)), "LDR")
        order = sorted(range(len(entries)), key=lambda i: entries[i][2]) if numeric else list(range(len(entries)))
        by_data_order = [None] * len(entries)
        for data_index, entry_index in enumerate(order):
            by_data_order[entry_index] = parts[data_index]
        field_bytes = [(entries[i][0], by_data_order[i]) for i in range(len(entries))]
        notes.append(_("directory lengths/offsets do not match the bytes (lengths counted in characters?): fields "
                       "read by their terminators"))

    data_area = chunk[base:]
    charset = forced_encoding or enc.detect(data_area, leader[9])
    if forced_encoding is None:
        if charset in (enc.UTF8, enc.UTF8_DAMAGED) and leader[9] != "a":
            notes.append(_("leader/09 says MARC-8 but the text is UTF-8: read as UTF-8"))
        elif charset not in (enc.UTF8, enc.UTF8_DAMAGED, enc.ASCII) and leader[9] == "a":
            notes.append(_("leader/09 says UTF-8 but the bytes are not UTF-8: read as {charset}",
                           charset=enc.LABELS.get(charset, charset)))
        elif charset in (enc.TIS620, enc.CP1251):
            notes.append(_("read as {charset} (detected)", charset=enc.LABELS[charset]))
    if numeric and field_bytes and any(entries[i][2] > entries[i + 1][2] for i in range(len(entries) - 1)):
        notes.append(_("directory entries are not in the order of the data: fields kept in directory order"))
    fields = []
    stateless = charset != enc.MARC8
    shared_decoder = enc.FieldDecoder(charset) if stateless else None
    for tag, data in field_bytes:
        # MARC-8 escapes persist across the subfields of a field, so each field gets a fresh decoder.
        decode = shared_decoder or enc.FieldDecoder(charset)
        if decode.replaced:
            decode.replaced = 0
        if stateless and _simple_data_field(tag, data):
            try:
                fields.append({tag: _fast_data_field(data, decode)})
                continue
            except (enc.EncodingError, ValueError):
                pass  # the careful path below names the problem
        try:
            if tag in FIXED_FIELDS:
                fields.append({tag: _fixed_field(tag, data, charset, notes)})
                continue
            if is_control_tag(tag):
                fields.append({tag: decode(data)})
                continue
            if not data.strip(b" "):
                notes.append(_("empty field {tag} dropped", tag=tag))
                continue
            if data[:1] == b"\x1f":
                notes.append(_("field {tag} had no indicators: set to blanks", tag=tag))
                data = b"  " + data
            ind1 = indicator(tag, 1, _ascii(data[0:1]), notes)
            ind2 = indicator(tag, 2, _ascii(data[1:2]), notes)
            rest = data[2:]
            if not rest.startswith(b"\x1f"):
                if not rest.strip(b" "):
                    notes.append(_("field {tag} has indicators but no subfields: dropped", tag=tag))
                    continue
                notes.append(_("field {tag}: text without a subfield delimiter after the indicators kept as $a",
                               tag=tag))
                rest = b"\x1fa" + rest
            subfields = []
            for piece in rest.split(b"\x1f")[1:]:
                if not piece:
                    notes.append(_("field {tag}: an empty subfield (delimiter without code) dropped", tag=tag))
                    continue
                code = check_code(tag, _ascii(piece[:1]), piece)
                subfields.append({code: decode(piece[1:])})
            if not subfields:
                notes.append(_("field {tag} has no subfields: dropped", tag=tag))
                continue
            fields.append({tag: {"ind1": ind1, "ind2": ind2, "subfields": subfields}})
        except enc.EncodingError as exc:
            raise RecordError(exc.args[0], tag) from None
        finally:
            if decode.replaced and charset == enc.MARC8:
                notes.append(_("field {tag}: {count} MARC-8 character(s) that no MARC-8 character set holds read as "
                               "blanks (text lost; compare with the source)", tag=tag, count=decode.replaced))
            elif decode.replaced:
                notes.append(_("field {tag}: {count} byte sequence(s) that are not UTF-8 replaced by U+FFFD (�)",
                               tag=tag, count=decode.replaced))
    if not fields:
        raise RecordError(_("the record has no fields"), "LDR")
    return {"leader": leader, "fields": fields}, notes, charset


FIXED_FIELDS = ("006", "007", "008")
_DIRECTORY = re.compile(r"(?:[0-9A-Za-z]{3}[0-9]{9})+")
_ENTRY = re.compile(r"(.{3})(.{4})(.{5})", re.S)
_GOOD_INDICATORS = frozenset(b"0123456789abcdefghijklmnopqrstuvwxyz ")


def _simple_data_field(tag: str, data: bytes) -> bool:
    """Return True for a well-formed data field (valid indicators, then a delimiter, no empty subfields)."""
    return (len(data) > 3 and data[2] == 0x1F and data[0] in _GOOD_INDICATORS and data[1] in _GOOD_INDICATORS
            and not is_control_tag(tag) and b"\x1f\x1f" not in data and data[-1] != 0x1F)


_CODES = frozenset(chr(c) for c in range(0x21, 0x7F))


def _fast_data_field(data: bytes, decode) -> dict:
    """Decode a well-formed data field in one pass (the common case; ``_simple_data_field`` said it is one)."""
    codec = decode.codec
    if codec is not None:  # a stateless charset: the field is decoded whole, then split at its delimiters
        try:
            text = data[3:].decode(codec)
        except UnicodeDecodeError:
            raise ValueError("not in the charset") from None  # the careful path names the byte
        if "&#x" not in text:
            pieces = text.split("\x1f")
            for piece in pieces:
                if piece[0] not in _CODES:
                    raise ValueError(piece[0])
            return {"ind1": chr(data[0]), "ind2": chr(data[1]), "subfields": [{p[0]: p[1:]} for p in pieces]}
    subfields = []
    for piece in data[3:].split(b"\x1f"):
        code = chr(piece[0])
        if not SUBFIELD_CODE.match(code):
            raise ValueError(code)
        subfields.append({code: decode(piece[1:])})
    return {"ind1": chr(data[0]), "ind2": chr(data[1]), "subfields": subfields}


_NOT_CODE = re.compile(r"[^\x20-\x7e]")


def fixed_field_text(tag: str, text: str, notes: list[str]) -> str:
    """Return a coded fixed field (006/007/008) as ASCII: no-break spaces become blanks, other non-codes |."""
    if "\u00a0" in text:
        notes.append(_("field {tag}: no-break spaces read as blanks", tag=tag))
        text = text.replace("\u00a0", " ")
    bad = [m.start() for m in _NOT_CODE.finditer(text)]
    if bad:
        notes.append(_("field {tag}: character(s) that are no code at position {positions} replaced by the fill "
                       "character |", tag=tag, positions=", ".join(map(str, bad))))
        text = _NOT_CODE.sub("|", text)
    return text


def _fixed_field(tag: str, data: bytes, charset: str, notes: list[str]) -> str:
    if charset in (enc.UTF8, enc.UTF8_DAMAGED):
        text = data.decode("utf-8", errors="replace")
    else:  # MARC-8 and single-byte charsets: a fixed field holds ASCII codes, any other byte is damage
        text = data.decode("latin-1")
    return fixed_field_text(tag, text, notes)


def _repair_repeated_length(chunk: bytes, notes: list[str]) -> bytes:
    """Drop stray digits between the record length and leader/05 (a length written twice), if that is what they are."""
    dir_end = chunk.find(b"\x1e", 24)
    if dir_end == -1 or (dir_end - 24) % 12 == 0:
        return chunk
    extra = (dir_end - 24) % 12
    candidate = chunk[:5] + chunk[5 + extra:]
    if chunk[5:5 + extra].isdigit() and candidate[5:6].isalpha():
        directory = candidate[24:dir_end - extra]
        if all(directory[i + 3:i + 12].isdigit() for i in range(0, len(directory), 12)):
            notes.append(_("{count} stray digit(s) after the record length in the leader removed", count=extra))
            return candidate
    return chunk


def _control_number_of(chunk: bytes) -> str:
    """Return a best-effort 001 of a record that could not be parsed (for the report)."""
    directory_end = chunk.find(b"\x1e", 24)
    if directory_end > 24 and chunk[24:27] == b"001":
        end = chunk.find(b"\x1e", directory_end + 1)
        if end > directory_end:
            return chunk[directory_end + 1:end].decode("utf-8", errors="replace").strip()[:60]
    return ""


def read_iso2709_chunk(position: int, offset: int, chunk: bytes, terminated: bool, *,
                       encoding: str | None = None) -> ReadResult:
    """Return the ReadResult of one ISO 2709 record (``chunk``, without its 0x1D) at ``position``."""
    result = ReadResult(position=position, offset=offset, end=offset + len(chunk) + 1)
    if not terminated and len(chunk.strip(FILLER)) < 24:
        result.skip_reason = _("{count} stray byte(s) at the end of the file, not a record", count=len(chunk))
        return result
    try:
        record, notes, charset = parse_iso2709(chunk, forced_encoding=encoding)
    except RecordError as exc:
        result.error, result.tag = exc.reason, exc.tag
        result.control_number = _control_number_of(chunk.lstrip(FILLER))
        return checked(result)
    if not terminated:
        notes.append("no record terminator at the end of the file")
    result.record, result.notes, result.encoding, result.structured = record, notes, charset, True
    result.control_number = next((v for f in record["fields"] for t, v in f.items() if t == "001"), "").strip()
    return checked(classify(result))


def iter_iso2709_records(stream) -> Iterator[tuple[int, int, bytes, bool]]:
    """Yield ``(position, offset, bytes, terminated)`` of each record of an ISO 2709 stream, unparsed."""
    position = 0
    for offset, chunk, terminated in iter_iso2709_chunks(stream):
        if chunk.strip(FILLER):
            position += 1
            yield position, offset, chunk, terminated


def read_iso2709(stream, *, encoding: str | None = None) -> Iterator[ReadResult]:
    """Yield a ReadResult for each record of an ISO 2709 stream."""
    for position, offset, chunk, terminated in iter_iso2709_records(stream):
        yield read_iso2709_chunk(position, offset, chunk, terminated, encoding=encoding)


# --- MARCXML ----------------------------------------------------------------------------------


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


# --- MARC-in-JSON ------------------------------------------------------------------------------


def _repair_indicators(fields, notes: list[str]) -> None:
    """Set indicators that are not MARC 21's to blank, with a note (as the ISO 2709 and XML readers do)."""
    for fld in fields if isinstance(fields, list) else ():
        if isinstance(fld, dict) and len(fld) == 1:
            (tag, value), = fld.items()
            if isinstance(value, dict):
                for number, key in ((1, "ind1"), (2, "ind2")):
                    if isinstance(value.get(key), str) and not INDICATOR.match(value[key] or " "):
                        value[key] = indicator(tag, number, value[key], notes)


def _json_result(position: int, obj) -> ReadResult:
    result = ReadResult(position=position, encoding=enc.UTF8)
    if isinstance(obj, dict) and "leader" not in obj and "fields" not in obj:
        keys = ", ".join(map(str, list(obj)[:5]))
        result.error = _("not MARC-in-JSON: an object without “leader” and “fields” (it has: {keys})", keys=keys)
        result.tag = "JSON"
        return result
    if isinstance(obj, dict) and isinstance(obj.get("leader"), str):
        obj["leader"] = obj["leader"].replace("^", " ")  # Catmandu writes blanks as ^
    if isinstance(obj, dict):
        _repair_indicators(obj.get("fields"), result.notes)
    found = problems(obj)
    if found:
        result.error, result.tag = found[0].reason, found[0].tag
        if isinstance(obj, dict):
            result.control_number = next((v for f in obj.get("fields", []) if isinstance(f, dict)
                                          for t, v in f.items() if t == "001" and isinstance(v, str)), "")
        return result
    record = {"leader": obj["leader"], "fields": []}
    for fld in obj["fields"]:
        tag, value = next(iter(fld.items()))
        if isinstance(value, str):
            value = enc.decode_ncr(value)
            record["fields"].append({tag: fixed_field_text(tag, value, result.notes) if tag in FIXED_FIELDS else value})
        else:
            record["fields"].append({tag: {
                "ind1": value.get("ind1", " ") or " ", "ind2": value.get("ind2", " ") or " ",
                "subfields": [{c: enc.decode_ncr(v)} for s in value["subfields"] for c, v in s.items()],
            }})
    if not record["fields"]:
        result.error, result.tag = _("empty record: no fields"), "LDR"
        return result
    result.record = record
    result.control_number = next((v for f in record["fields"] for t, v in f.items() if t == "001"), "")
    return classify(result)


def read_json(stream) -> Iterator[ReadResult]:
    """Yield a ReadResult for each record of MARC-in-JSON: one object, an array, or one object per line."""
    raw = stream.read()
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
        for position, obj in enumerate(items, start=1):
            yield _json_result(position, obj)
        return
    except json.JSONDecodeError as whole:
        # One JSON object per line (MARC-in-JSON lines), or not JSON at all: then one error for the file,
        # not one per line.
        first = next((line for line in text.splitlines() if line.strip()), "")
        try:
            json.loads(first)
        except json.JSONDecodeError:
            yield ReadResult(position=1, tag="JSON", error=_(
                "the file is not JSON (line {line}, column {column}: {problem}); nothing was read",
                line=whole.lineno, column=whole.colno, problem=whole.msg))
            return
    position = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        position += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadResult(position=position, offset=line_number, error=_("line {line} is not JSON: {problem}",
                                                                            line=line_number, problem=exc.msg),
                             tag="JSON")
            continue
        yield _json_result(position, obj)


# --- MarcMaker (.mrk) ---------------------------------------------------------------------------

_MRK_ESCAPES = {"{dollar}": "$", "{lcub}": "{", "{rcub}": "}", "{bsol}": "\\"}
_MRK_ESCAPE = re.compile(r"\{(?:dollar|lcub|rcub|bsol)\}|&#x([0-9A-Fa-f]{2,6});")


def _mrk_text(value: str) -> str:
    return _MRK_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else _MRK_ESCAPES[m.group(0)], value)


def read_mrk(stream) -> Iterator[ReadResult]:
    """Yield a ReadResult for each record of MarcMaker/MarcEdit text (``=LDR  ...``, ``=245  10$a...``)."""
    raw = stream.read()
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    position = 0
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line for line in block.split("\n") if line.startswith("=")]
        if not lines:
            continue
        position += 1
        result = ReadResult(position=position, encoding=enc.UTF8)
        record = {"leader": DEFAULT_LEADER, "fields": []}
        try:
            for line in lines:
                tag, value = line[1:4], line[6:] if line[4:6] == "  " else line[5:]
                if tag == "LDR":
                    record["leader"] = value.replace("\\", " ").ljust(24)[:24]
                elif not TAG.match(tag):
                    raise RecordError(_("“{tag}” is not a tag", tag=tag), tag)
                elif is_control_tag(tag):
                    value = _mrk_text(value.replace("\\", " "))
                    record["fields"].append({tag: fixed_field_text(tag, value, result.notes) if tag in FIXED_FIELDS
                                             else value})
                else:
                    ind1, ind2 = (value[0:1].replace("\\", " ") or " "), (value[1:2].replace("\\", " ") or " ")
                    pieces = value[2:].split("$")
                    if pieces[0]:
                        raise RecordError(_("text before the first $ subfield"), tag)
                    subs = [{p[0]: _mrk_text(p[1:])} for p in pieces[1:] if p]
                    record["fields"].append({tag: {"ind1": ind1, "ind2": ind2, "subfields": subs}})
            found = problems(record)
            if found:
                raise RecordError(found[0].reason, found[0].tag)
            result.record = record
            result.control_number = next((v for f in record["fields"] for t, v in f.items() if t == "001"), "")
            classify(result)
        except RecordError as exc:
            result.error, result.tag = exc.reason, exc.tag
        yield result


# --- format detection --------------------------------------------------------------------------


def detect_format(head: bytes, name: str = "") -> str:
    """Return ``iso2709``, ``marcxml``, ``json`` or ``mrk`` from the first bytes of a file."""
    text = head.lstrip(FILLER)
    if text.startswith(b"<"):
        return "marcxml"
    if text[:1] in (b"{", b"["):
        return "json"
    if text.startswith(b"=LDR") or text.startswith(b"=00"):
        return "mrk"
    if text[:5].isdigit() or b"\x1e" in head and b"\x1f" in head:
        return "iso2709"
    raise UnsupportedFile(
        _("the file is not MARC 21 in a format bkklib reads (ISO 2709, MARCXML, MARC-in-JSON or MarcMaker .mrk)")
    )


def prepare_stream(stream, *, format: str = "auto", encoding: str = "auto", name: str = ""):
    """Return ``(stream, format, encoding)``: a peekable stream, its format (detected when ``auto``) and the
    charset forced on ISO 2709 (None: detected per record). Raise UnsupportedFile for an unknown format."""
    if format not in FORMATS:
        raise UnsupportedFile(_("unknown format “{format}”: use one of {formats}", format=format,
                                formats=", ".join(FORMATS)))
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream) if hasattr(stream, "readinto") else io.BytesIO(stream.read())
    head = stream.peek(4096)[:4096]
    if format == "auto":
        format = detect_format(head, name)
    return stream, format, None if encoding in (None, "", "auto") else enc.canonical(encoding)


def open_records(stream, *, format: str = "auto", encoding: str = "auto", name: str = "") -> Iterator[ReadResult]:
    """Yield ReadResults from a binary stream in ``format`` (detected when ``auto``).

    ``encoding`` applies to ISO 2709 (``auto`` detects it per record). Raise UnsupportedFile when the
    format is unknown or the file is UNIMARC.
    """
    stream, format, forced = prepare_stream(stream, format=format, encoding=encoding, name=name)
    if format == "iso2709":
        yield from read_iso2709(stream, encoding=forced)  # each record checked as it is read
        return
    if format == "marcxml":
        results = read_marcxml(stream)
    elif format == "json":
        results = read_json(stream)
    else:
        results = read_mrk(stream)
    for result in results:
        yield checked(result)


def checked(result: ReadResult) -> ReadResult:
    """Refuse the file when its first record is UNIMARC or not MARC 21; report such a later record."""
    if result.position == 1 and result.error == "UNIMARC":
        raise UnsupportedFile(_("this is a UNIMARC file, not MARC 21 (title in field 200, no 245): convert it to "
                                "MARC 21 first; nothing was imported"))
    if result.position == 1 and result.tag == NOT_MARC21:
        raise UnsupportedFile(_("this file is not MARC 21: {problem}; nothing was imported", problem=result.error))
    if result.error == "UNIMARC":
        result.error, result.tag = _("a UNIMARC record (title in 200, no 245), not MARC 21"), "200"
    elif result.tag == NOT_MARC21:
        result.tag = "LDR"
    return result
