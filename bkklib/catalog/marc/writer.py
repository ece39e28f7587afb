"""Write MARC-in-JSON records as MARC 21: ISO 2709 in UTF-8 (lengths in bytes) and MARCXML (LoC slim schema)."""
import re
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from . import is_control_tag

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
XML_HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              f'<collection xmlns="{MARCXML_NS}">\n')
XML_FOOTER = "</collection>\n"
# Characters XML 1.0 cannot carry even as references; they never belong in catalogue text.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_RECORD_BYTES = 99999
MAX_FIELD_BYTES = 9999


class ExportError(ValueError):
    """A record that ISO 2709 cannot carry (too long)."""


def leader_for(record: dict, *, length: int = 0, base: int = 0) -> str:
    """Return the record's leader with computed lengths, UTF-8 flag (09 'a') and MARC 21's fixed parts."""
    leader = (record.get("leader") or "").ljust(24)[:24]
    body = leader[5:9] + "a" + "22"
    return f"{length:05d}{body}{base:05d}{leader[17:20]}4500"


def to_iso2709(record: dict) -> bytes:
    """Return ``record`` as one ISO 2709 record in UTF-8; raise ExportError when it is too long."""
    directory = []
    data = []
    offset = 0
    for fld in record["fields"]:
        tag, value = next(iter(fld.items()))
        if isinstance(value, str):
            raw = value.encode("utf-8") + b"\x1e"
        else:
            parts = [(value.get("ind1") or " ")[:1].encode("utf-8"), (value.get("ind2") or " ")[:1].encode("utf-8")]
            for sub in value.get("subfields", []):
                for code, text in sub.items():
                    parts.append(b"\x1f" + code.encode("utf-8") + text.encode("utf-8"))
            raw = b"".join(parts) + b"\x1e"
        if len(raw) > MAX_FIELD_BYTES:
            raise ExportError(f"field {tag} is {len(raw)} bytes, more than ISO 2709's 9,999")
        directory.append(f"{tag}{len(raw):04d}{offset:05d}".encode("ascii"))
        data.append(raw)
        offset += len(raw)
    base = 24 + 12 * len(directory) + 1
    length = base + offset + 1
    if length > MAX_RECORD_BYTES:
        raise ExportError(f"the record is {length} bytes, more than ISO 2709's 99,999 (export it as MARCXML)")
    leader = leader_for(record, length=length, base=base).encode("ascii")
    return leader + b"".join(directory) + b"\x1e" + b"".join(data) + b"\x1d"


def _text(value: str) -> str:
    return escape(_XML_INVALID.sub("\ufffd", value))


def to_marcxml_record(record: dict, *, indent: str = "  ") -> str:
    """Return one ``<record>`` element (no XML declaration)."""
    lines = [f"{indent}<record>", f"{indent}  <leader>{_text(leader_for(record))}</leader>"]
    for fld in record["fields"]:
        tag, value = next(iter(fld.items()))
        if isinstance(value, str) and is_control_tag(tag):
            lines.append(f'{indent}  <controlfield tag={quoteattr(tag)}>{_text(value)}</controlfield>')
            continue
        if isinstance(value, str):  # a control-style value under a data tag cannot be MARCXML: keep it as $a
            value = {"ind1": " ", "ind2": " ", "subfields": [{"a": value}]}
        lines.append(f'{indent}  <datafield tag={quoteattr(tag)} ind1={quoteattr(value.get("ind1") or " ")} '
                     f'ind2={quoteattr(value.get("ind2") or " ")}>')
        for sub in value.get("subfields", []):
            for code, text in sub.items():
                lines.append(f'{indent}    <subfield code={quoteattr(code)}>{_text(text)}</subfield>')
        lines.append(f"{indent}  </datafield>")
    lines.append(f"{indent}</record>")
    return "\n".join(lines) + "\n"


def to_marcxml(records: Iterable[dict]) -> Iterator[str]:
    """Yield a MARCXML collection of ``records`` in pieces (for streaming responses and files)."""
    yield XML_HEADER
    for record in records:
        yield to_marcxml_record(record)
    yield XML_FOOTER
