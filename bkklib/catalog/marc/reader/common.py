"""What every MARC reader shares: the result of reading one record, indicator and subfield-code checks,
and the classification of records that are read but not imported (authority, holdings, UNIMARC)."""
import re
from dataclasses import dataclass, field

from ..messages import Message as _
from ..validate import BLANK_INDICATORS, INDICATOR, SUBFIELD_CODE

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


def keep_blank_code(tag: str, subfields: list[dict], text: str, notes: list[str]) -> None:
    """Keep the text of a subfield whose code is blank (ULibM writes a "^" typed in the text as a delimiter):
    joined to the subfield before it, or as $a when it comes first, with a note; the record is not refused."""
    text = text.strip()
    if not text:
        notes.append(_("field {tag}: an empty subfield with a blank code dropped", tag=tag))
        return
    if subfields:
        last = subfields[-1]
        code = next(iter(last))
        last[code] = f"{last[code].rstrip()} {text}".strip()
        notes.append(_("field {tag}: a subfield with a blank code: its text “{text}” kept in ${code}", tag=tag,
                       text=text[:60], code=code))
    else:
        subfields.append({"a": text})
        notes.append(_("field {tag}: a subfield with a blank code: its text “{text}” kept as $a", tag=tag,
                       text=text[:60]))


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


# Coded fixed fields: ASCII codes only.
FIXED_FIELDS = ("006", "007", "008")
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
