"""The CPU-heavy half of a MARC import: turn the records read from a file into rows ready to store.

Decoding ISO 2709, normalising, deriving the display fields, the items of 852/952 holdings, the
JSON of the record and the search row (normalised, segmented words) of every record. Pure Python
with no ORM and no database, so that the importer can run it in helper processes on every core
while its own process only writes (importer.py); small files and MARCXML/JSON/.mrk run it in the
importer's process.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import orjson

from bkklib.search import index
from bkklib.search.documents import Document

from . import constants
from .marc import data_fields
from .marc import reader as marc_reader
from .marc.extract import MODEL_FIELDS, Extracted, extract, identifiers
from .marc.messages import Message as _
from .marc.validate import normalise, repair_leader

# Record columns an import writes from the MARC, in the order of ``Prepared.values``.
RECORD_COLUMNS = ("marc", *MODEL_FIELDS)
JSON_COLUMNS = frozenset({"marc", "authors", "isbns", "subjects", "series", "vernacular"})
_JSON_INDEXES = tuple(i for i, name in enumerate(RECORD_COLUMNS) if name in JSON_COLUMNS)
# Item columns, in the order of ``ItemRow.values()`` (importer.ITEM_COLUMNS adds record, stamps and demo).
ITEM_VALUE_COLUMNS = ("barcode", "branch_id", "item_type_id", "call_number", "shelving_location", "price",
                      "acquired_on", "notes", "status")
ITEM_TEXT_COLUMNS = ("price", "acquired_on")  # given as text (ItemRow.values)
_FACET_BASE_INDEXES = tuple(RECORD_COLUMNS.index(name) for name in ("material_type", "language", "year"))
_BARCODE = re.compile(constants.BARCODE_PATTERN)


@dataclass(frozen=True)
class Context:
    """What the preparation needs to know of the database (sent to each helper with its work)."""

    branches: dict[str, tuple[int, str]]  # lower-case branch code -> (id, code)
    item_types: dict[str, int]  # lower-case item type code -> id
    default_branch: tuple[int, str] | None = None  # --branch: receives every item
    vendor: str = ""  # "postgresql": search rows also carry their tsvector text


class ItemRow(NamedTuple):
    """One item to create from a holdings field (a tuple: helpers send thousands a second to the importer)."""

    barcode: str
    branch_id: int
    branch_code: str
    item_type_id: int | None
    call_number: str
    shelving_location: str
    price: str | None  # a valid decimal, as text (both databases take it)
    acquired_on: str | None  # an ISO date, as text
    notes: str
    status: str
    tag: str

    def values(self) -> tuple:
        """Return the item's column values (ITEM_VALUE_COLUMNS), price and date as the text both databases take."""
        return (self.barcode, self.branch_id, self.item_type_id, self.call_number, self.shelving_location,
                self.price, self.acquired_on, self.notes, self.status)


@dataclass
class Prepared:
    """One record of the file, ready to store (``values`` set), or why it is not (``error``/``skip_reason``)."""

    position: int
    control_number: str = ""
    encoding: str = ""
    error: str = ""
    tag: str = ""
    skip_reason: str = ""
    notes: list[str] = field(default_factory=list)
    end: int = 0  # bytes of the file consumed once this record is read (progress)
    values: tuple | None = None  # Record column values in RECORD_COLUMNS order, JSON columns as text
    keys: list[tuple[str, str]] = field(default_factory=list)  # duplicate-matching keys
    items: list[ItemRow] = field(default_factory=list)
    item_problems: list[tuple[str, str]] = field(default_factory=list)  # (tag, reason) of holdings not taken
    search_row: tuple | None = None  # the search row (id 0, facets of ``items``), index.ROW_COLUMNS order
    tsv: str | None = None  # PostgreSQL: the tsvector text of search_row
    vocabulary: list[str] = field(default_factory=list)

    def __reduce__(self):
        # Pickled as one tuple of the field values: the default (a dict of attributes per object) made
        # the importer spend more time unpickling what its helpers prepared than on their text.
        return _prepared, (tuple(self.__dict__[name] for name in _PREPARED_FIELDS),)

    @property
    def facet_base(self) -> tuple:
        """The record's material type, language and year (what its facets need besides its items)."""
        return tuple(self.values[i] for i in _FACET_BASE_INDEXES)

    def model_fields(self) -> dict:
        """Return the Record's derived columns as Python values (JSON decoded), for the ORM paths."""
        out = dict(zip(RECORD_COLUMNS, self.values, strict=True))
        for name in JSON_COLUMNS:
            out[name] = json.loads(out[name])
        return out


_PREPARED_FIELDS = tuple(f.name for f in fields(Prepared))


def _prepared(values: tuple) -> Prepared:
    out = Prepared.__new__(Prepared)
    out.__dict__.update(zip(_PREPARED_FIELDS, values, strict=True))
    return out


# --- holdings -----------------------------------------------------------------------------------


def _price(value: str) -> str | None:
    """Return the price in a holdings subfield as decimal text ("฿295.50" -> "295.50"), or None."""
    digits = "".join(c for c in value if c.isdigit() or c == ".")
    try:
        price = Decimal(digits) if digits else None
    except InvalidOperation:
        return None
    return str(price) if price is not None and price < Decimal("100000000") else None


def _date(value: str) -> str | None:
    """Return the ISO date a holdings subfield starts with, or None when it is not a date."""
    try:
        return date.fromisoformat(value[:10]).isoformat() if len(value) >= 10 else None
    except ValueError:
        return None


def _koha_status(sub: dict) -> str:
    if sub.get("0", "0") not in ("", "0"):
        return constants.WITHDRAWN
    if sub.get("1", "0") not in ("", "0"):
        return constants.LOST
    if sub.get("4", "0") not in ("", "0"):
        return constants.DAMAGED
    return constants.AVAILABLE


def items_of(marc: dict, notes: list[str], problems: list[tuple[str, str]], ctx: Context) -> list[ItemRow]:
    """Return the items of the record's 852/952 holdings fields; report the ones that cannot be made."""
    items = []
    default_type = ctx.item_types.get(constants.DEFAULT_ITEM_TYPE)
    for tag, fld in data_fields(marc, "952", "852"):
        sub: dict[str, str] = {}
        for s in fld.get("subfields", []):
            for code, value in s.items():
                sub.setdefault(code, value.strip())
        if tag == "952":  # Koha: $p barcode, $a home branch, $b holding branch, $o call number, $y type
            barcode, branch_code = sub.get("p", ""), sub.get("b") or sub.get("a", "")
            call_number = sub.get("o", "")
            location, type_code, price = sub.get("c", ""), sub.get("y", ""), sub.get("g") or sub.get("v", "")
            acquired, note = sub.get("d", ""), sub.get("z", "")
        else:  # MARC 21 holdings: $p barcode, $b sublocation, $a institution, $h/$i call number
            barcode, branch_code = sub.get("p", ""), sub.get("b") or sub.get("a", "")
            call_number = " ".join(v for v in (sub.get("h", ""), sub.get("i", "")) if v)
            location, type_code, price = sub.get("c", ""), "", sub.get("9", "")
            acquired, note = "", sub.get("z", "")
        if not barcode:
            continue
        branch = ctx.default_branch or ctx.branches.get(branch_code.lower())
        if branch is None:
            notes.append(_("item {barcode} ({tag}): branch “{branch}” is not a bkklib branch: item not created (give "
                           "the import a branch for its items)", barcode=barcode, tag=tag, branch=branch_code))
            continue
        if not _BARCODE.match(barcode):
            problems.append((tag, _("barcode “{barcode}” is not valid: item not created", barcode=barcode)))
            continue
        items.append(ItemRow(
            barcode=barcode, branch_id=branch[0], branch_code=branch[1], tag=tag,
            item_type_id=ctx.item_types.get(type_code.lower()) or default_type,
            call_number=call_number[:100], shelving_location=location[:100],
            price=_price(price), acquired_on=_date(acquired), notes=note,
            status=_koha_status(sub) if tag == "952" else constants.AVAILABLE,
        ))
    return items


# --- search documents ---------------------------------------------------------------------------


def facets_of(material_type: str, language: str, year: int | None, holdings) -> dict[str, list[str]]:
    """Return a record's facet values from its material type, language, year and ``(branch, status)`` items."""
    branches = sorted({code for code, _status in holdings})
    available_at = sorted({code for code, status in holdings if status == constants.AVAILABLE})
    return {
        "branch": branches,
        "material_type": [material_type],
        "language": [language] if language else [],
        "year": [str(year)] if year else [],
        "availability": ([constants.AVAILABLE if available_at else constants.UNAVAILABLE]
                         + [f"{constants.AVAILABLE}:{c}" for c in available_at]),
    }


def build_document(record_id: int, ex: Extracted, holdings) -> Document:
    """Return the search document of one record from its extracted fields and ``(branch, status)`` items."""
    vern = ex.vernacular
    titles = [ex.title, *ex.other_titles, *vern.get("245", []), *vern.get("246", []), *vern.get("240", []),
              *vern.get("130", [])]
    authors = [*ex.authors, ex.responsibility]
    for tag in ("100", "110", "111", "700", "710", "711"):
        authors.extend(vern.get(tag, []))
    subjects = list(ex.subjects)
    for tag, values in vern.items():
        if tag.startswith("6"):
            subjects.extend(values)
    series = [*ex.series, *vern.get("490", []), *vern.get("830", [])]
    other = [ex.publisher, ex.place, *vern.get("260", []), *vern.get("264", []), ex.edition, ex.call_number,
             ex.classification, *ex.notes]
    return Document(
        id=record_id,
        title="\n".join(dict.fromkeys(t for t in titles if t)),
        author="\n".join(dict.fromkeys(a for a in authors if a)),
        subject="\n".join(dict.fromkeys(subjects)),
        isbn=list(dict.fromkeys([*ex.isbns, *ex.raw_identifiers])),
        series="\n".join(dict.fromkeys(s for s in series if s)),
        other="\n".join(o for o in other if o),
        facets=facets_of(ex.material_type, ex.language, ex.year, holdings),
        sort_title=ex.sort_title or ex.title,
        year=ex.year,
    )


def search_row(prepared: Prepared, record_id: int, holdings=None) -> tuple:
    """Return ``prepared``'s search row for ``record_id``; with ``holdings``, its facets redone from them."""
    return index.row_for(prepared.search_row, record_id,
                         None if holdings is None else facets_of(*prepared.facet_base, holdings))


# --- one record ---------------------------------------------------------------------------------


def _dumps(value) -> str:
    try:
        return orjson.dumps(value).decode("utf-8")  # UTF-8 text without spaces, what json.loads reads back
    except orjson.JSONEncodeError:  # text orjson refuses (a lone surrogate): the standard library escapes it
        return json.dumps(value, separators=(",", ":"))


def prepare(result: marc_reader.ReadResult, ctx: Context) -> Prepared:
    """Return a record read from a file ready to store, or with the reason it cannot be stored."""
    out = Prepared(position=result.position, control_number=result.control_number, encoding=result.encoding,
                   error=result.error, tag=result.tag, skip_reason=result.skip_reason, end=result.end)
    if result.error or result.skip_reason:
        return out
    notes = list(result.notes)
    try:
        repair_leader(result.record, notes)
        marc = normalise(result.record, structured=result.structured)
        ex = extract(marc)
        out.items = items_of(marc, notes, out.item_problems, ctx)
        row, out.vocabulary, out.tsv = index.prepare_for_load(
            build_document(0, ex, [(item.branch_code, item.status) for item in out.items]), vendor=ctx.vendor)
    except Exception as exc:  # a record the extractor cannot read must not stop the file
        out.error, out.tag, out.items, out.item_problems = (
            _("cannot read the record's fields ({problem})", problem=f"{exc.__class__.__name__}: {exc}"), "", [], [])
        return out
    if not any("245" in f for f in marc["fields"]):
        notes.append(_("no title (245) in the record: title taken from another field (“{title}”)", title=ex.title[:60])
                     if ex.title else _("no title (245) in the record"))
    out.notes = notes
    values = [marc, *(getattr(ex, name) for name in MODEL_FIELDS)]
    for i in _JSON_INDEXES:
        values[i] = _dumps(values[i])
    out.values = tuple(values)
    out.keys = identifiers(ex)
    out.search_row = row
    return out


def prepare_iso2709(task: tuple) -> list[Prepared]:
    """Read and prepare a run of ISO 2709 records: ``(chunks, encoding, ctx[, transform])`` where each chunk is
    ``(position, offset, bytes, terminated)`` (what a helper process is given) and ``transform``, a picklable
    callable, may rewrite each ReadResult before it is prepared (a migration's holdings mapping)."""
    chunks, encoding, ctx, *rest = task
    transform = rest[0] if rest else None
    out = []
    for position, offset, data, terminated in chunks:
        result = marc_reader.read_iso2709_chunk(position, offset, data, terminated, encoding=encoding)
        out.append(prepare(transform(result) if transform is not None else result, ctx))
    return out
