"""ISO 2709 (MARC transmission format), read tolerantly: with the directory when its lengths are right,
and by the field (0x1E) and record (0x1D) terminators when they are not (Thai systems count characters,
not bytes); every repair is noted on the record."""
import re
from collections.abc import Iterator

from .. import encoding as enc
from .. import is_control_tag
from ..messages import Message as _
from ..validate import SUBFIELD_CODE, TAG
from .common import (
    CHUNK,
    FIELD_END,
    FILLER,
    FIXED_FIELDS,
    NOT_MARC21,
    ReadResult,
    RecordError,
    check_code,
    checked,
    classify,
    fixed_field_text,
    indicator,
    keep_blank_code,
)


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

    field_bytes = _by_directory(chunk, base, entries, notes) if numeric else None
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
                if piece[:1] == b" ":  # ULibM: a "^" typed in the text became a delimiter with a blank code
                    keep_blank_code(tag, subfields, decode(piece[1:]), notes)
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


def _by_directory(chunk: bytes, base: int, entries: list[tuple], notes: list[str]) -> list[tuple] | None:
    """Return the ``(tag, bytes)`` of each field cut by the directory, or None when the directory does not fit
    the bytes (the caller then reads by the terminators).

    A field holding stray field terminators (0x1E) inside its data is still read by the directory when the
    directory is consistent: every entry ends on a terminator and the entries tile the data area exactly,
    end to end, as yaz-marcdump reads it (an Alma export); the stray terminators are removed with a note.
    """
    out, stray = [], []
    for tag, length, start in entries:
        data = chunk[base + start:base + start + length]
        if length < 1 or len(data) != length or data[-1] != FIELD_END:
            return None
        if b"\x1e" in data[:-1]:
            stray.append(len(out))
        out.append((tag, data[:-1]))
    if not stray:
        return out
    spans = sorted((start, length) for _tag, length, start in entries)
    position = 0
    for start, length in spans:
        if start != position:
            return None
        position = start + length
    if position != len(chunk) - base:
        return None
    for i in stray:
        tag, data = out[i]
        notes.append(_("field {tag}: {count} stray field terminator(s) inside the field removed (the directory is "
                       "consistent: field read by its length)", tag=tag, count=data.count(b"\x1e")))
        out[i] = (tag, data.replace(b"\x1e", b""))
    return out


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
