"""The item fields of ULibM and Koha records, rewritten into the 952 the catalog's importer makes items from.

Koha: 952 $a home branch, $b holding branch, $c shelving location, $o call number, $p barcode,
$y item type, $7 not for loan, $1 lost, $0 withdrawn, $4 damaged, $d date acquired, $g price,
$z public note. The branch codes and item types go through the mapping; an item "not for loan"
($7 other than 0) becomes a ``reference`` item (library use only).

A Koha record without a 001 gets its biblionumber (999 $c) as 001, so that a second run merges it.

ULibM: its item field is a local one, 945 by default (``itemlocatetag`` in ULibM's settings),
written by ULibM's ``marc_meltin_item``: $p price, $l resource type (a number), $i barcode; it names
no branch, so every item goes to the mapping's default branch.
"""
from __future__ import annotations

from dataclasses import dataclass

from bkklib.catalog.marc.messages import Message as _
from bkklib.catalog.marc.reader import ReadResult

from .codes import Mapping

NOT_FOR_LOAN_TYPE = "reference"
# The note on an item field without a barcode (the migration reports it as an item not taken).
NO_BARCODE = _("item field {tag} has no barcode (${code}): no item created")


def _subfields(value: dict) -> list[tuple[str, str]]:
    return [(code, text) for sub in value.get("subfields", []) for code, text in sub.items()]


def _first(pairs: list[tuple[str, str]], code: str) -> str:
    return next((text.strip() for c, text in pairs if c == code and text.strip()), "")


@dataclass(frozen=True)
class Holdings:
    """Rewrite a record's item fields for the catalog's importer (picklable: import helpers run it)."""

    mapping: Mapping

    def __call__(self, result: ReadResult) -> ReadResult:
        if result.record is None or result.error or result.skip_reason:
            return result
        if self.mapping.source == "ulibm":
            self._ulibm(result.record, result.notes)
        else:
            self._koha(result.record, result.notes)
            _biblionumber_as_001(result)
        return result

    def _koha(self, record: dict, notes: list) -> None:
        for fld in record["fields"]:
            value = fld.get("952")
            if not isinstance(value, dict):
                continue
            pairs = _subfields(value)
            if not _first(pairs, "p"):
                notes.append(_(NO_BARCODE, tag="952", code="p"))
            home = _first(pairs, "a") or _first(pairs, "b")
            branch = self.mapping.branch(home)
            type_code = _first(pairs, "y")
            item_type = self.mapping.item_type(type_code)
            if _first(pairs, "7") not in ("", "0"):
                item_type = NOT_FOR_LOAN_TYPE
            out = []
            for code, text in pairs:
                if code in ("a", "b"):
                    continue
                if code == "y":
                    text = item_type
                out.append({code: text})
            if type_code == "" and item_type:
                out.append({"y": item_type})
            # Holdings of a branch bkklib does not know keep their code: the importer reports them.
            code = branch or home
            value["subfields"] = [{"a": code}, {"b": code}, *out]

    def _ulibm(self, record: dict, notes: list) -> None:
        tag = self.mapping.item_tag
        kept, items = [], []
        for fld in record["fields"]:
            value = fld.get(tag)
            if not isinstance(value, dict):
                kept.append(fld)
                continue
            pairs = _subfields(value)
            barcode = _first(pairs, "i")
            if not barcode:
                notes.append(_(NO_BARCODE, tag=tag, code="i"))
                kept.append(fld)
                continue
            branch = self.mapping.default_branch
            subfields = [{"a": branch}, {"b": branch}, {"p": barcode}]
            if item_type := self.mapping.item_types.get(_first(pairs, "l").lower()):
                subfields.append({"y": item_type})
            price = _first(pairs, "p")
            if price and price != "0":
                subfields.append({"g": price})
            items.append({"952": {"ind1": " ", "ind2": " ", "subfields": subfields}})
        if items:
            record["fields"] = kept + items


def _biblionumber_as_001(result: ReadResult) -> None:
    """A Koha record without a 001 gets its biblionumber (999 $c) as 001, so that a second run finds it."""
    fields = result.record["fields"]
    if any("001" in f for f in fields):
        return
    number = next((_first(_subfields(f["999"]), "c") for f in fields if isinstance(f.get("999"), dict)), "")
    if number:
        fields.insert(0, {"001": number})
        result.control_number = number
        result.notes.append(_("no 001: Koha's biblionumber {number} (999 $c) taken as 001", number=number))
