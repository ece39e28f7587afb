"""pymarc, the maintained MARC library, is the reference our reader and writers are checked against.

The catalog keeps its own readers (tolerant ISO 2709 that repairs and notes what it repairs; MARCXML
and MARC-in-JSON with the same notes, which pymarc's readers do not give) and its own writers (the
same bytes as pymarc's, 2.5 times faster: exports of a whole catalog). For every well-formed shared
MARC file: what we write as ISO 2709 is byte for byte what pymarc writes for the same record, and
pymarc reads our MARCXML and ISO 2709 exports back to the records we read.
"""
import io

import pymarc
import pytest

from bkklib.catalog.marc import reader, writer
from bkklib.catalog.marc.validate import normalise

from .marcfiles import marc_files, path


def as_pymarc(record: dict) -> pymarc.Record:
    out = pymarc.Record(leader=writer.leader_for(record), force_utf8=True)
    for fld in record["fields"]:
        tag, value = next(iter(fld.items()))
        if isinstance(value, str):
            out.add_field(pymarc.Field(tag=tag, data=value))
        else:
            out.add_field(pymarc.Field(
                tag=tag, indicators=pymarc.Indicators(value.get("ind1") or " ", value.get("ind2") or " "),
                subfields=[pymarc.Subfield(code, text) for sub in value.get("subfields", []) for code, text in sub.items()]))
    return out


def as_fields(record: pymarc.Record) -> list:
    return [(f.tag, f.data) if f.is_control_field() else
            (f.tag, f.indicator1, f.indicator2, [(s.code, s.value) for s in f.subfields]) for f in record.fields]


def readable(name: str) -> list[dict]:
    with open(path(name), "rb") as stream:
        try:  # what the import stores, hence what an export writes
            records = [normalise(r.record, structured=r.structured) for r in reader.open_records(stream) if r.ok]
        except reader.UnsupportedFile:  # not MARC 21: nothing to export
            return []
    out = []
    for record in records:
        try:
            writer.to_iso2709(record)
        except writer.ExportError:  # over ISO 2709's limits: exported as MARCXML only
            continue
        if all(isinstance(v, dict) or int(t) < 10 for f in record["fields"] for t, v in f.items()):
            out.append(record)
    return out


@pytest.mark.parametrize("name", marc_files(broken=False) or ["none"])
def test_our_exports_are_what_pymarc_writes_and_reads(name):
    records = readable(name)
    for record in records:
        ours = writer.to_iso2709(record)
        assert ours == as_pymarc(record).as_marc()
        (back,) = pymarc.MARCReader(io.BytesIO(ours), to_unicode=True, force_utf8=True)
        assert as_fields(back) == as_fields(as_pymarc(record))
    if records:
        xml = "".join(writer.to_marcxml(records)).encode("utf-8")
        parsed = pymarc.parse_xml_to_array(io.BytesIO(xml))
        assert [as_fields(r) for r in parsed] == [as_fields(as_pymarc(r)) for r in records]
        assert [str(r.leader) for r in parsed] == [writer.leader_for(r) for r in records]
