"""Derive a record's display, sort and facet fields from its MARC 21 data (pure functions, no ORM)."""
import re
from dataclasses import dataclass, field

from . import control_value, data_fields, subfields

# ISBD punctuation a cataloguer ends a subfield with before the next one (" /", " :", " ;", ",", "=").
_TRAILING = re.compile(r"[\s/:;,=]+$")
_TRAILING_PERIOD = re.compile(r"(?<![A-Z.])\.$|(?<=\S)\s*\.$")
_ISBN_TOKEN = re.compile(r"[0-9][0-9\-\s]{8,16}[0-9Xx]")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f]")

# Buddhist Era years in 260/264 $c of Thai records ("2558" = 2015 CE).
BE_OFFSET = 543
FIRST_BE_YEAR = 2400
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

MATERIAL_TYPES = {
    "a": "book", "t": "manuscript", "e": "map", "f": "map", "c": "score", "d": "score",
    "i": "sound", "j": "music", "g": "video", "k": "image", "r": "object", "m": "computer_file",
    "o": "kit", "p": "mixed",
}
SERIAL_LEVELS = {"b", "i", "s"}
NAME_TAGS = ("100", "110", "111", "700", "710", "711")
NAME_CODES = {
    "100": "abcdq", "700": "abcdq", "110": "abcdn", "710": "abcdn", "111": "acdenq", "711": "acdenq",
}
SUBJECT_TAGS = tuple(f"6{n:02d}" for n in range(0, 100))
SUBDIVISION_CODES = set("vxyz")
SUBJECT_SKIP_CODES = set("0123456789e4")
SERIES_TAGS = ("490", "800", "810", "811", "830")
CALL_NUMBER_SOURCES = (("099", "a"), ("090", "ab"), ("092", "ab"), ("852", "hi"), ("082", "ab"), ("050", "ab"),
                       ("060", "ab"), ("055", "ab"))


def clean(value: str) -> str:
    """Return ``value`` without ISBD end punctuation and surrounding spaces."""
    value = _CONTROL_CHARS.sub(" ", value or "").strip()
    return _TRAILING.sub("", value).strip()


def clean_heading(value: str) -> str:
    """Return a heading without end punctuation, including a final period (not an initial's)."""
    value = clean(value)
    if value.endswith(".") and not re.search(r"(\b[A-Z]|\.\.)\.$", value):
        value = value[:-1].rstrip()
    return clean(value)


def joined(field: dict, codes: str) -> str:
    """Return the subfields ``codes`` of ``field`` joined by spaces, each cleaned of end punctuation."""
    return " ".join(part for part in (clean(v) for v in subfields(field, *codes)) if part)


def isbn13_of(compact: str) -> str | None:
    """Return the ISBN-13 of a 10- or 13-character ISBN without separators when its check digit is right."""
    if len(compact) == 13:
        if not compact.isdigit() or compact[:3] not in ("978", "979"):
            return None
        total = sum(int(c) for c in compact[0:12:2]) + 3 * sum(int(c) for c in compact[1:12:2])
        return compact if (10 - total % 10) % 10 == int(compact[12]) else None
    if len(compact) == 10 and compact[:9].isdigit() and (compact[9].isdigit() or compact[9] in "Xx"):
        check = 10 if compact[9] in "Xx" else int(compact[9])
        if (sum((10 - i) * int(c) for i, c in enumerate(compact[:9])) + check) % 11:
            return None
        core = "978" + compact[:9]
        total = sum(int(c) for c in core[0::2]) + 3 * sum(int(c) for c in core[1::2])
        return core + str((10 - total % 10) % 10)
    return None


def normalise_isbn(value: str) -> str | None:
    """Return the ISBN-13 digits of the first valid ISBN in ``value`` (a 020 $a), or None."""
    for token in _ISBN_TOKEN.findall(value or ""):
        compact = re.sub(r"[\s\-]", "", token)
        if len(compact) in (10, 13) and (isbn13 := isbn13_of(compact)) is not None:
            return isbn13
    return None


def raw_identifier(value: str) -> str:
    """Return the digits (and a final X) of the identifier that starts ``value``."""
    token = _ISBN_TOKEN.search(value or "")
    return re.sub(r"[\s\-]", "", token.group(0)).upper() if token else ""


def material_type(leader: str) -> str:
    """Return the material type facet value from leader/06 (type) and /07 (bibliographic level)."""
    leader = (leader or "").ljust(24)
    kind = MATERIAL_TYPES.get(leader[6], "book")
    if kind == "book" and leader[7] in SERIAL_LEVELS:
        return "serial"
    return kind


def plausible_year(year: int, *, latest: int = 2100) -> int | None:
    """Return ``year`` in the Common Era (converting a Buddhist Era year), or None if implausible."""
    if year >= FIRST_BE_YEAR:
        year -= BE_OFFSET
    return year if 1000 <= year <= latest else None


def publication_year(record: dict) -> int | None:
    """Return the CE year of publication: 008/07-10 when numeric, else the first year in 264/260 $c."""
    return _years_of(control_value(record, "008"), data_fields(record, "264", "260"))[0]


def display_year(record: dict) -> int | None:
    """Return the year of publication as the record gives it: BE ("2555") when its imprint is dated BE."""
    return _years_of(control_value(record, "008"), data_fields(record, "264", "260"))[1]


def imprint_year(value: str) -> int | None:
    """Return the year of a 264/260 $c as written, in either era, or None.

    "2555.", "พ.ศ. 2555", "2555 [2012]" (the first, as printed), "c2012", "[๒๕๕๕?]" (Thai digits).
    """
    for match in _YEAR.finditer((value or "").translate(_THAI_DIGITS)):
        year = int(match.group(1))
        if plausible_year(year):
            return year
    return None


def _years_of(f008: str, imprints) -> tuple[int | None, int | None]:
    """Return (the normalised CE year, the year to show) from the 008 and the ``(tag, field)`` 264/260 fields.

    The normalised year (sort, filters, facets) is 008/07-10 when it is a year, else the imprint's;
    the year shown is the same year in the era of the imprint (BE + 543 when its $c is a BE year,
    as Thai books are dated), so what a reader sees and what a filter finds are the same year.
    The publication statement (260, 264 second indicator 1) is read before other 264s (copyright).
    """
    given = None
    ordered = sorted(imprints, key=lambda tf: tf[0] == "264" and tf[1].get("ind2", " ") not in ("1", " "))
    for _tag, fld in ordered:
        for value in subfields(fld, "c"):
            if (given := imprint_year(value)) is not None:
                break
        if given is not None:
            break
    coded = int(f008[7:11]) if len(f008) >= 11 and f008[7:11].isdigit() else None
    year = plausible_year(coded) if coded is not None else None
    if year is None and given is not None:
        year = plausible_year(given)
    if year is None:
        return None, None
    buddhist = given >= FIRST_BE_YEAR if given is not None else (coded or 0) >= FIRST_BE_YEAR
    return year, year + BE_OFFSET if buddhist else year


def language(record: dict) -> str:
    """Return the MARC language code from 008/35-37, else the first 041 $a."""
    return _language_of(control_value(record, "008"), data_fields(record, "041"))


def _language_of(f008: str, codes) -> str:
    """``language`` from the 008 and the record's ``(tag, field)`` 041 fields."""
    code = f008[35:38].strip().lower() if len(f008) >= 38 else ""
    if len(code) == 3 and code.isalpha():
        return code
    for _tag, fld in codes:
        for value in subfields(fld, "a"):
            value = value.strip().lower()
            if len(value) >= 3 and value[:3].isalpha():
                return value[:3]
    return ""


def subject_heading(field: dict) -> str:
    """Return a 6XX heading as ``Main part -- subdivision -- subdivision``."""
    main, parts = [], []
    for sub in field.get("subfields", ()):
        for code, value in sub.items():
            if code in SUBJECT_SKIP_CODES:
                continue
            value = clean_heading(value)
            if not value:
                continue
            if code in SUBDIVISION_CODES:
                parts.append(value)
            else:
                main.append(value)
    return " -- ".join(p for p in [" ".join(main), *parts] if p)


def linked_tag(field: dict) -> str:
    """Return the tag an 880 field represents, from its $6 ("245-01/$1" -> "245")."""
    for value in subfields(field, "6"):
        if len(value) >= 3 and value[:3].isdigit():
            return value[:3]
    return ""


def field_text(field: dict) -> str:
    """Return the readable text of a data field: every subfield but the linking/control ones."""
    return " ".join(
        part for code, value in ((c, v) for sub in field.get("subfields", ()) for c, v in sub.items())
        if not code.isdigit() and (part := clean(value))
    )


@dataclass
class Extracted:
    """The fields of a Record model derived from its MARC data."""

    title: str = ""
    responsibility: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    place: str = ""
    year: int | None = None  # Common Era, for sort and filters
    display_year: int | None = None  # as the record gives it (BE for a Thai imprint)
    edition: str = ""
    isbns: list[str] = field(default_factory=list)
    language: str = ""
    material_type: str = "book"
    subjects: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    classification: str = ""
    call_number: str = ""
    vernacular: dict[str, list[str]] = field(default_factory=dict)
    control_number: str = ""
    control_agency: str = ""
    # Not model columns: used for identifiers and the search document.
    other_titles: list[str] = field(default_factory=list)
    system_numbers: list[str] = field(default_factory=list)
    raw_identifiers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sort_title: str = ""

    def model_fields(self) -> dict:
        """Return the values of the Record model's derived columns."""
        return {name: getattr(self, name) for name in MODEL_FIELDS}


MODEL_FIELDS = ("title", "responsibility", "authors", "publisher", "place", "year", "display_year", "edition", "isbns",
                "language",
                "material_type", "subjects", "series", "classification", "call_number", "vernacular",
                "control_number", "control_agency")


_TITLE_MARK = re.compile(r"\s*([:;=])\s*$")
_TITLE_SEPARATORS = {"b": " : ", "n": ". ", "p": ". "}


def _title(fld: dict) -> str:
    """Return the title proper with its remainder, ISBD style ("Title : subtitle", "Title = Parallel title",
    "Series. Part"): the source's own mark before a subfield where it has one, else the usual one."""
    out = ""
    mark = ""
    for code, value in ((c, v) for s in fld.get("subfields", ()) for c, v in s.items() if c in "abfgknps"):
        part = clean(value)
        if part:
            separator = mark or _TITLE_SEPARATORS.get(code, " ")
            if out and separator == ". " and out.endswith("."):
                separator = " "
            out += (separator if out else "") + part
        found = _TITLE_MARK.search(value or "")
        mark = f" {found.group(1)} " if found else ""
    return out


def extract(record: dict) -> Extracted:
    """Return the display, sort and identifier fields of a MARC-in-JSON record."""
    out = Extracted()
    control: dict[str, str] = {}
    by_tag: dict[str, list[dict]] = {}
    data: list[tuple[str, dict]] = []
    for fld in record.get("fields", ()):  # one pass: the first value of each control field, data fields by tag
        for tag, value in fld.items():
            if isinstance(value, str):
                control.setdefault(tag, value)
            elif isinstance(value, dict):
                data.append((tag, value))
                by_tag.setdefault(tag, []).append(value)
    out.control_number = control.get("001", "").strip()[:60]
    out.control_agency = control.get("003", "").strip()[:60]
    out.material_type = material_type(record.get("leader", ""))
    f008 = control.get("008", "")
    out.year, out.display_year = _years_of(f008, [(t, f) for t, f in data if t in ("264", "260")])
    out.language = _language_of(f008, ((t, f) for t, f in data if t == "041"))
    authors: list[str] = []
    isbn_seen: set[str] = set()
    for tag, fld in data:
        if tag == "245":
            if not out.title:
                out.title = _title(fld)
                out.responsibility = joined(fld, "c")
                skip = fld.get("ind2", " ")
                nonfiling = int(skip) if skip.isdigit() else 0
                out.sort_title = clean(" ".join(subfields(fld, "a", "b", "n", "p")))[nonfiling:].strip()
        elif tag in _OTHER_TITLE_TAGS:
            if text := _title(fld):
                out.other_titles.append(text)
        elif tag in NAME_CODES:
            if name := clean_heading(" ".join(subfields(fld, *NAME_CODES[tag]))):
                authors.append(name)
        elif tag == "020":
            for value in subfields(fld, "a"):
                isbn13 = normalise_isbn(value)
                if isbn13 and isbn13 not in isbn_seen:
                    isbn_seen.add(isbn13)
                    out.isbns.append(isbn13)
                elif not isbn13 and (raw := raw_identifier(value)):
                    out.raw_identifiers.append(raw)
            out.raw_identifiers.extend(r for v in subfields(fld, "z") if (r := raw_identifier(v)))
        elif tag == "022":
            out.raw_identifiers.extend(clean(v) for v in subfields(fld, "a", "l") if clean(v))
        elif tag == "035":
            out.system_numbers.extend(v.strip() for v in subfields(fld, "a") if v.strip())
        elif tag in ("264", "260"):
            if tag == "260" or fld.get("ind2") in ("1", " "):
                if not out.publisher:
                    out.publisher = clean(" ".join(subfields(fld, "b")))[:500]
                if not out.place:
                    out.place = clean(" ".join(subfields(fld, "a")))[:300]
        elif tag == "250":
            if not out.edition:
                out.edition = clean(" ".join(subfields(fld, "a", "b")))[:300]
        elif tag[0] == "6" and tag in _SUBJECT_TAG_SET:
            if heading := subject_heading(fld):
                out.subjects.append(heading)
        elif tag in SERIES_TAGS:
            if text := joined(fld, "atnpv"):
                out.series.append(text)
        elif tag == "880":
            target = linked_tag(fld)
            if target and (text := field_text(fld)):
                out.vernacular.setdefault(target, []).append(text)
        elif "500" <= tag <= "599":
            if text := joined(fld, "a"):
                out.notes.append(text)
    out.authors = list(dict.fromkeys(authors))
    if not out.title:
        # A record without 245 (seen in real exports): fall back to its vernacular or other titles.
        candidates = out.vernacular.get("245", []) + out.other_titles
        out.title = candidates[0] if candidates else ""
        out.sort_title = out.title
    out.classification = _classification(by_tag)
    out.call_number = _call_number(by_tag)[:100]
    out.subjects = list(dict.fromkeys(out.subjects))
    return out


_OTHER_TITLE_TAGS = frozenset(("246", "240", "130", "730", "740", "242"))
_SUBJECT_TAG_SET = frozenset(SUBJECT_TAGS)


def _classification(by_tag: dict[str, list[dict]]) -> str:
    for tag in ("082", "050", "060", "080"):
        for fld in by_tag.get(tag, ()):
            values = subfields(fld, "a")
            if values and (value := clean(values[0]).replace("/", "")):
                return value[:100]
    return ""


def _call_number(by_tag: dict[str, list[dict]]) -> str:
    for tag, codes in CALL_NUMBER_SOURCES:
        for fld in by_tag.get(tag, ()):
            value = " ".join(v.strip() for v in subfields(fld, *codes) if v.strip())
            if value:
                return value.replace("/", "") if tag == "082" else value
    return ""


def identifiers(ex: Extracted) -> list[tuple[str, str]]:
    """Return the ``(kind, value)`` duplicate-matching keys of an extracted record."""
    keys = []
    if ex.control_number:
        keys.append(("control", f"{ex.control_agency}|{ex.control_number}"[:120]))
    keys.extend(("system", value[:120]) for value in dict.fromkeys(ex.system_numbers))
    keys.extend(("isbn", value) for value in ex.isbns)
    return keys
