"""Cataloguing rules: build MARC 21 from the common fields librarians type, and read them back (no ORM).

Records made here follow AACR2/ISBD punctuation as MARC::Lint checks it (245 ends with a period,
$b after " :", $c after " /"), Thai names in direct order (100 0#; docs/architecture.md, Domain facts), and an 008 for
books. The editor's other fields are kept as given and the fields are put in tag order.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from stdnum import isbn as stdisbn

from .marc import control_value, data_fields, is_control_tag, subfields
from .marc.extract import clean, clean_heading, normalise_isbn, subject_heading
from .marc.messages import Message as _

MANAGED_TAGS = {"008", "020", "100", "245", "250", "264", "260", "490", "500", "650", "099"}
LANGUAGE_CODES = ("tha", "eng", "chi", "jpn", "fre", "ger", "mul", "und")
_SUBDIVISION = re.compile(r"\s+--\s+")


@dataclass
class CommonFields:
    """What the cataloguing form edits; everything else lives in the MARC field editor."""

    title: str = ""
    subtitle: str = ""
    responsibility: str = ""
    author: str = ""
    edition: str = ""
    place: str = ""
    publisher: str = ""
    year: int | None = None
    language: str = "tha"
    isbns: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    call_number: str = ""


def _end(text: str, mark: str) -> str:
    """Return ``text`` ending with ISBD punctuation ``mark`` (" /", " :", ".") exactly once."""
    text = clean(text)
    if mark == "." and text and text[-1] in ".?!":
        return text
    return text + mark


def common_from_marc(marc: dict) -> CommonFields:
    """Return the common fields of a record as the cataloguing form shows them."""
    out = CommonFields()
    for tag, fld in data_fields(marc):
        if tag == "245" and not out.title:
            out.title = clean(" ".join(subfields(fld, "a", "n", "p")))
            out.subtitle = clean(" ".join(subfields(fld, "b")))
            out.responsibility = clean_heading(" ".join(subfields(fld, "c")))
        elif tag == "100" and not out.author:
            out.author = clean_heading(" ".join(subfields(fld, "a", "b", "c", "d", "q")))
        elif tag == "250" and not out.edition:
            out.edition = clean_heading(" ".join(subfields(fld, "a")))
        elif tag in ("264", "260") and not out.publisher:
            out.place = clean(" ".join(subfields(fld, "a")))
            out.publisher = clean(" ".join(subfields(fld, "b")))
        elif tag == "020":
            out.isbns += [clean(v) for v in subfields(fld, "a") if clean(v)]
        elif tag == "490":
            out.series += [clean(" ".join(subfields(fld, "a", "v")))]
        elif tag == "650":
            out.subjects.append(subject_heading(fld))
        elif tag == "500":
            out.notes += [clean_heading(v) for v in subfields(fld, "a")]
        elif tag == "099" and not out.call_number:
            out.call_number = " ".join(v.strip() for v in subfields(fld, "a"))
    f008 = control_value(marc, "008")
    if len(f008) >= 38:
        if f008[7:11].isdigit():
            out.year = int(f008[7:11])
        out.language = f008[35:38].strip() or out.language
    return out


def _f008(existing: str, common: CommonFields, today: date) -> str:
    """Return an 008 for a book: the existing one with date and language updated, or a new one."""
    year = f"{common.year:04d}" if common.year else "uuuu"
    if len(existing) == 40:
        f008 = existing
    else:
        # 00-05 entered, 06 type of date, 07-14 dates, 15-17 place (th = Thailand), 18-34 book codes (no
        # illustrations coded, not a conference, festschrift or index: 000, literary form 0), 35-37 language,
        # 38 not modified, 39 d (cataloguing source other than LC).
        f008 = f"{today:%y%m%d}s{year}    th            000 0 {(common.language or 'und'):3.3} d"
    f008 = f008[:6] + ("s" if common.year else "n") + year + f008[11:35] + (common.language or "und")[:3] + f008[38:]
    return f008.ljust(40)[:40]


def build_marc(common: CommonFields, *, other_fields: list[dict] | None = None, base: dict | None = None,
               today: date | None = None) -> dict:
    """Return MARC-in-JSON made of ``common`` fields and ``other_fields`` (the editor's), in tag order.

    ``base`` is the record being edited: its leader and 008 are kept (updated), the rest is replaced.
    """
    today = today or date.today()
    leader = (base or {}).get("leader") or "00000nam a2200000 i 4500"
    fields: list[dict] = [{"008": _f008(control_value(base or {}, "008"), common, today)}]
    for isbn in common.isbns:
        value = clean(isbn)
        if value and normalise_isbn(value):  # MARC::Lint wants 020 $a as digits only (no hyphens)
            value = stdisbn.compact(value)
        if value:
            fields.append({"020": {"ind1": " ", "ind2": " ", "subfields": [{"a": value}]}})
    if common.call_number.strip():
        fields.append({"099": {"ind1": " ", "ind2": " ", "subfields": [{"a": common.call_number.strip()}]}})
    if common.author.strip():
        # Thai personal names in direct order, no inversion (docs/architecture.md, Domain facts): first indicator 0.
        ind1 = "1" if "," in common.author and not re.search(r"[\u0e00-\u0e7f]", common.author) else "0"
        fields.append({"100": {"ind1": ind1, "ind2": " ", "subfields": [{"a": _end(common.author, ".")}]}})
    title_subs = []
    title = clean(common.title)
    subtitle = clean(common.subtitle)
    responsibility = clean(common.responsibility)
    parts = [("a", title), ("b", subtitle), ("c", responsibility)]
    present = [(c, v) for c, v in parts if v]
    for index, (code, value) in enumerate(present):
        following = present[index + 1][0] if index + 1 < len(present) else None
        mark = {"b": " :", "c": " /"}.get(following, ".")
        title_subs.append({code: _end(value, mark) if mark != "." else _end(value, ".")})
    if title_subs:
        # Nonfiling characters (245 ind2): an initial English article is skipped when sorting and filing.
        article = re.match(r"(?i)(the|an|a) ", title)
        nonfiling = str(len(article.group(0))) if article and common.language in ("eng", "und", "mul") else "0"
        fields.append({"245": {"ind1": "1" if common.author.strip() else "0", "ind2": nonfiling, "subfields": title_subs}})
    if common.edition.strip():
        fields.append({"250": {"ind1": " ", "ind2": " ", "subfields": [{"a": _end(common.edition, ".")}]}})
    pub = []
    if common.place.strip():
        pub.append(("a", clean(common.place)))
    if common.publisher.strip():
        pub.append(("b", clean(common.publisher)))
    if common.year:
        pub.append(("c", str(common.year + 543) if common.language == "tha" else str(common.year)))
    if pub:
        subs = []
        for index, (code, value) in enumerate(pub):
            following = pub[index + 1][0] if index + 1 < len(pub) else None
            mark = {"b": " :", "c": ","}.get(following, ".")
            subs.append({code: value + mark})
        fields.append({"264": {"ind1": " ", "ind2": "1", "subfields": subs}})
    for series in common.series:
        if clean(series):
            fields.append({"490": {"ind1": "0", "ind2": " ", "subfields": [{"a": clean(series)}]}})
    for note in common.notes:
        if clean(note):
            fields.append({"500": {"ind1": " ", "ind2": " ", "subfields": [{"a": _end(note, ".")}]}})
    for subject in common.subjects:
        heading = [p for p in (clean_heading(x) for x in _SUBDIVISION.split(subject or "")) if p]
        if heading:
            subs = [{"a": heading[0]}] + [{"x": p} for p in heading[1:]]
            last_code = next(iter(subs[-1]))
            subs[-1] = {last_code: _end(subs[-1][last_code], ".")}
            fields.append({"650": {"ind1": " ", "ind2": "4", "subfields": subs}})
    for fld in other_fields or []:
        tag = next(iter(fld))
        if tag not in MANAGED_TAGS:
            fields.append(fld)
    control = sorted((f for f in fields if is_control_tag(next(iter(f)))), key=lambda f: next(iter(f)))
    data = sorted((f for f in fields if not is_control_tag(next(iter(f)))), key=lambda f: next(iter(f)))
    return {"leader": leader, "fields": control + data}


def other_fields_of(marc: dict) -> list[dict]:
    """Return the fields of ``marc`` that the MARC field editor shows (not those of the common form)."""
    return [f for f in marc.get("fields", []) if next(iter(f)) not in MANAGED_TAGS]


def isbn_problems(isbns: list[str]) -> list[str]:
    """Return the ISBNs of ``isbns`` that are not valid ISBN-10/13."""
    return [v for v in isbns if clean(v) and normalise_isbn(v) is None]


# --- the MARC field editor's line format: "245 10 $aTitle :$bsubtitle" ------------------------------

_LINE = re.compile(r"^\s*([0-9A-Za-z]{3})\s?(.*)$")


def field_to_line(fld: dict) -> tuple[str, str, str, str]:
    """Return ``(tag, ind1, ind2, value)`` of a field for the editor (subfields as ``$a...$b...``)."""
    tag, value = next(iter(fld.items()))
    if isinstance(value, str):
        return tag, "", "", value
    text = "".join(f"${code}{text.replace('$', '{dollar}')}" for s in value.get("subfields", []) for code, text in s.items())
    return tag, value.get("ind1", " "), value.get("ind2", " "), text


def line_to_field(tag: str, ind1: str, ind2: str, value: str) -> dict:
    """Return a MARC-in-JSON field from the editor's row; raise ValueError naming what is wrong."""
    tag = (tag or "").strip()
    if not re.fullmatch(r"[0-9]{3}", tag):
        raise ValueError(_("a tag is three digits"))
    if is_control_tag(tag):
        if "$" in value:
            raise ValueError(_("a control field (00X) has no subfields"))
        return {tag: value}
    ind1 = (ind1 or " ").replace("#", " ").replace("_", " ")[:1] or " "
    ind2 = (ind2 or " ").replace("#", " ").replace("_", " ")[:1] or " "
    for number, ind in ((1, ind1), (2, ind2)):
        if not re.fullmatch(r"[0-9a-z ]", ind):
            raise ValueError(_("indicator {number} must be a digit, a lower-case letter or blank", number=number))
    value = (value or "").strip()
    if not value.startswith("$"):
        raise ValueError(_("data must start with a subfield, e.g. $a"))
    subs = []
    for piece in value.split("$")[1:]:
        if not piece:
            raise ValueError(_("a $ without a subfield code"))
        code, text = piece[0], piece[1:].strip().replace("{dollar}", "$")
        if not re.fullmatch(r"[0-9a-z]", code):
            raise ValueError(_("subfield code “{code}” must be a lower-case letter or a digit", code=code))
        if not text:
            raise ValueError(_("subfield ${code} is empty", code=code))
        subs.append({code: text})
    return {tag: {"ind1": ind1, "ind2": ind2, "subfields": subs}}
