"""The two faults of real exports the reader tolerates, each repair reported, compared with yaz-marcdump:
stray field terminators inside fields of a consistent directory (an Alma export), and a subfield whose
code is blank (ULibM); a truly broken record is still refused."""
import io
import re
import shutil
import subprocess

import pytest

from bkklib.catalog.importer import import_marc
from bkklib.catalog.marc.reader import read_iso2709
from bkklib.catalog.models import Record


def iso(fields: list[tuple[str, bytes]]) -> bytes:
    """One ISO 2709 record whose directory gives each field's true byte length (terminators inside included)."""
    directory, data = b"", b""
    for tag, body in fields:
        body += b"\x1e"
        directory += tag.encode() + b"%04d%05d" % (len(body), len(data))
        data += body
    base = 24 + len(directory) + 1
    return b"%05dnam a22%05d a 4500" % (base + len(data) + 1, base) + directory + b"\x1e" + data + b"\x1d"


def alma_like(count: int = 100) -> bytes:
    """``count`` records, 8 of which hold a stray 0x1E inside their 245 (as the Alma export does)."""
    out = []
    for n in range(count):
        title = b"\x1faTitle %d :\x1e\x1fbsubtitle" % n if n % 12 == 0 and n else b"\x1faTitle %d :\x1fbsubtitle" % n
        out.append(iso([("001", b"alma%03d" % n), ("245", b"10" + title), ("650", b" 0\x1faLibraries.")]))
    return b"".join(out)


def yaz(data: bytes, tmp_path) -> tuple[int, list[str]]:
    if shutil.which("yaz-marcdump") is None:
        pytest.skip("yaz-marcdump is not installed")
    path = tmp_path / "in.mrc"
    path.write_bytes(data)
    out = subprocess.run(["yaz-marcdump", "-i", "marc", "-o", "marcxml", str(path)], capture_output=True).stdout
    return out.count(b"<record"), re.findall(r'<controlfield tag="001">([^<]*)<', out.decode())


def test_stray_terminators_in_a_consistent_directory_are_read_by_it_as_yaz_does(tmp_path):
    data = alma_like()
    count, controls = yaz(data, tmp_path)
    results = list(read_iso2709(io.BytesIO(data)))
    assert count == len(results) == 100
    assert [r.control_number for r in results] == controls
    assert all(r.ok for r in results)
    repaired = [r for r in results if any("stray field terminator" in n for n in r.notes)]
    assert len(repaired) == 8
    assert repaired[0].notes == ["field 245: 1 stray field terminator(s) inside the field removed (the directory is "
                                 "consistent: field read by its length)"]
    assert repaired[0].record["fields"][1]["245"]["subfields"] == [{"a": "Title 12 :"}, {"b": "subtitle"}]


def test_the_old_path_refused_those_eight_records():
    """Reading by the terminators alone (what the reader did) finds one field too many in each of the eight."""
    data = alma_like()
    broken = [chunk for chunk in data.split(b"\x1d") if chunk.count(b"\x1e") > 4]
    assert len(broken) == 8


def test_a_stray_terminator_with_an_inconsistent_directory_is_still_refused():
    good = iso([("001", b"x1"), ("245", b"10\x1faTitle\x1e\x1fbmore")])
    # Shorten the 245's length in the directory by one: entries no longer tile the data.
    damaged = good.replace(b"245001700003", b"245001600003")
    assert damaged != good
    (result,) = read_iso2709(io.BytesIO(damaged))
    assert not result.ok and "the directory lists 2 fields but the data holds 3" in result.error


def test_a_blank_subfield_code_is_kept_as_text_with_a_note(tmp_path):
    data = iso([("001", b"u1"), ("245", "10\x1faชื่อเรื่อง\x1f ต่อท้าย".encode()), ("999", b"  \x1f ULIBM")])
    (result,) = read_iso2709(io.BytesIO(data))
    assert result.ok
    assert result.record["fields"][1]["245"]["subfields"] == [{"a": "ชื่อเรื่อง ต่อท้าย"}]
    assert result.record["fields"][2]["999"]["subfields"] == [{"a": "ULIBM"}]
    assert result.notes == ["field 245: a subfield with a blank code: its text “ต่อท้าย” kept in $a",
                            "field 999: a subfield with a blank code: its text “ULIBM” kept as $a"]
    assert yaz(data, tmp_path)[0] == 1


def test_import_marc_keeps_those_records_and_reports_each_repair(db):
    report = import_marc([alma_like() + iso([("001", b"u1"), ("245", b"10\x1faTitle\x1f more")])])
    assert (report.read, report.created, report.failed) == (101, 101, 0)
    assert Record.objects.count() == 101
    repairs = [line for line in report.lines if line.outcome == "repaired"]
    assert len([ln for ln in repairs if "stray field terminator" in ln.reason]) == 8
    assert [ln.position for ln in repairs if "blank code" in ln.reason] == [101]
