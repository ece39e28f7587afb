"""MARC 21 in bkklib: records are MARC-in-JSON dicts; this package reads, writes and interprets them.

A record is ``{"leader": "<24 chars>", "fields": [...]}`` where each field is a one-key dict:
a control field ``{"001": "value"}`` or a data field
``{"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": "Title"}, {"c": "Author."}]}}``
(the code4lib MARC-in-JSON layout that pymarc's ``as_dict()`` also produces).

Modules: ``encoding`` (charset detection, MARC-8 and TIS-620 decoding, LC NCR escapes),
``reader`` (ISO 2709 with a lenient fallback, MARCXML, MARC-in-JSON, MarcMaker text),
``writer`` (ISO 2709 UTF-8 and MARCXML), ``extract`` (display fields and search documents),
``validate`` (structural checks used by the editor and the importer).
"""
from collections.abc import Iterator

DataField = dict  # {"ind1": str, "ind2": str, "subfields": [{code: value}, ...]}


def is_control_tag(tag: str) -> bool:
    """Return True for control fields (00X), which carry a value and no indicators or subfields."""
    return tag < "010" and tag.isdigit()


def iter_fields(record: dict, *tags: str) -> Iterator[tuple[str, object]]:
    """Yield ``(tag, value)`` of the record's fields, in order, limited to ``tags`` when given."""
    wanted = set(tags)
    for field in record.get("fields", ()):
        for tag, value in field.items():
            if not wanted or tag in wanted:
                yield tag, value


def data_fields(record: dict, *tags: str) -> Iterator[tuple[str, DataField]]:
    """Yield ``(tag, field)`` of the data fields (those with subfields) among ``tags``."""
    for tag, value in iter_fields(record, *tags):
        if isinstance(value, dict):
            yield tag, value


def control_value(record: dict, tag: str) -> str:
    """Return the value of the first control field ``tag`` ("" when absent)."""
    for _tag, value in iter_fields(record, tag):
        if isinstance(value, str):
            return value
    return ""


def subfields(field: DataField, *codes: str) -> list[str]:
    """Return the values of ``field``'s subfields with ``codes`` (all when none), in order."""
    wanted = set(codes)
    out = []
    for sub in field.get("subfields", ()):
        for code, value in sub.items():
            if not wanted or code in wanted:
                out.append(value)
    return out


def first_subfield(record: dict, tag: str, code: str) -> str:
    """Return the first ``$code`` of the first ``tag`` field that has one ("" when none)."""
    for _tag, field in data_fields(record, tag):
        values = subfields(field, code)
        if values:
            return values[0]
    return ""
