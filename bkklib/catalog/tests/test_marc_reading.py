"""Reading real MARC files: encodings (UTF-8, MARC-8 with NCRs, TIS-620), lenient lengths, formats, refusals."""
import io

import pytest

from bkklib.catalog.marc import encoding, reader
from bkklib.catalog.marc.extract import extract

from .marcfiles import path


def read(name, **kw):
    with open(path(name), "rb") as stream:
        return list(reader.open_records(stream, **kw))


def field_values(record, tag, code):
    return [v for f in record["fields"] for t, fld in f.items() if t == tag and isinstance(fld, dict)
            for s in fld["subfields"] for c, v in s.items() if c == code]


def test_marc8_ncr_escapes_decode_to_thai_in_record_2_of_loongboonmee():
    records = read("marc4j__loongboonmee.mrc")

    assert [r.ok for r in records] == [True, True]
    assert records[1].record["leader"][9] == " "  # the MARC-8 copy
    assert field_values(records[1].record, "880", "a") == ["ลุงบุญมีระลึกชาติ."]
    assert field_values(records[0].record, "880", "a") == ["ลุงบุญมีระลึกชาติ."]


def test_the_tis620_export_with_utf8_lengths_reads_with_correct_thai_and_reports_the_repair():
    records = read("ulibm__marcexport-allth_tis620.mrc")

    assert [r.ok for r in records] == [True, True, True]
    assert {r.encoding for r in records} == {encoding.TIS620}
    titles = [extract(r.record).title for r in records]
    assert titles[0].startswith("คอมพิวเตอร์ช่วยในการออกแบบเรขาคณิตของโครงสร้างเส้นด้าย")
    assert titles[2].startswith("ผลของการจัดการเรียนรู้โดยการใช้สถานการณ์จำลอง")
    assert any("terminators" in note for note in records[0].notes)
    assert any("TIS-620" in note for r in records for note in r.notes)


def test_tis620_and_its_utf8_twin_give_the_same_records():
    tis = read("ulibm__marcexport-allth_tis620.mrc")
    utf = read("ulibm__marcexport-all.mrc")

    assert [r.record["fields"] for r in tis] == [r.record["fields"] for r in utf]


def test_the_utf8_ulibm_export_with_character_counted_lengths_is_read_by_terminators():
    records = read("ulibm__marcexport-all.mrc")

    assert all(r.ok for r in records)
    assert any("leader says 1486 bytes" in n for n in records[0].notes)
    assert "อรรถพล อ่อนสาคาม" in extract(records[0].record).authors[0]


def test_an_explicit_encoding_overrides_detection():
    records = read("ulibm__marcexport-allth_tis620.mrc", encoding="windows-874")

    assert all(r.ok and r.encoding == encoding.TIS620 for r in records)


@pytest.mark.parametrize(("name", "expected"), [
    ("evergreen__hebrew.marc", encoding.MARC8),
    ("pymarc__1251.dat", encoding.CP1251),
    ("pymarc__utf8_without_leader_flag.dat", encoding.UTF8),
    ("evergreen__FSL.marc", encoding.UTF8),
    ("marcperl__cjk1.marc", encoding.MARC8),
])
def test_encodings_are_detected_from_the_bytes_not_leader_09(name, expected):
    records = read(name)
    assert {r.encoding for r in records} == {expected}


def test_marc8_hebrew_and_cyrillic_become_unicode():
    hebrew = read("marcperl__hebrew1.marc")[0].record
    cyrillic = read("marc4j__cyrillic_capital_e.mrc")[0].record

    assert any("\u05d0" <= ch <= "\u05ea" for f in hebrew["fields"] for v in f.values() if isinstance(v, dict)
               for s in v["subfields"] for text in s.values() for ch in text)
    assert any("\u0400" <= ch <= "\u04ff" for f in cyrillic["fields"] for v in f.values() if isinstance(v, dict)
               for s in v["subfields"] for text in s.values() for ch in text)


def test_unimarc_is_refused_with_a_clear_message():
    with pytest.raises(reader.UnsupportedFile, match="UNIMARC"):
        read("pymarc__testunimarc.dat")


def test_authority_and_holdings_records_are_read_but_marked_to_skip():
    assert {r.skip_reason for r in read("evergreen__auth-subset100.mrc")} == {"authority record"}
    assert {r.skip_reason for r in read("evergreen__serials_mfhd.xml")} == {"holdings record"}


def test_a_bad_record_is_reported_with_position_001_field_and_reason_and_the_next_is_read():
    records = read("pymarc__bad_records.mrc")

    assert [r.ok for r in records] == [True, True, True, False, False, True, False, True]
    assert records[3].tag == "LDR" and "directory" in records[3].error
    assert records[6].error == "the record has no fields"


def test_a_bad_subfield_code_names_the_field_and_the_001():
    (result,) = read("pymarc__bad_subfield_code.dat")

    assert not result.ok and result.tag == "245" and result.control_number == "fol05731351"
    assert "á" in result.error


def test_a_bad_marc8_escape_fails_the_record():
    (result,) = read("pymarc__bad_marc8_escape.dat")
    assert result.error.startswith("invalid MARC-8 escape") and result.tag == "222"


def test_marcxml_without_a_collection_wrapper_and_with_several_roots_is_read():
    records = read("evergreen__serials_marc21.xml")
    assert len(records) == 7 and all(r.ok for r in records)


def test_marcxml_with_a_no_break_space_indicator_is_repaired():
    (result,) = read("openlibrary__39002054008678_yale_edu_marc.xml")
    assert result.ok and any("no-break space" in n for n in result.notes)


def test_broken_xml_reports_instead_of_raising():
    (result,) = read("marcperl__invalid.xml")
    assert result.tag == "XML" and not result.ok


@pytest.mark.parametrize("name", ["marc4j__marc-in-json.json", "catmandu__test.ndj", "pymarc__batch.json"])
def test_marc_in_json_object_array_and_lines(name):
    records = read(name)
    assert records and all(r.ok for r in records)


def test_marcmaker_text_gives_the_same_fields_as_its_iso2709_twin():
    mrk = read("catmandu__camel.mrk")
    mrc = read("catmandu__camel.mrc")

    assert [r.record["fields"] for r in mrk] == [r.record["fields"] for r in mrc]


def test_ncr_decoding_handles_only_lc_escapes():
    assert encoding.decode_ncr("&#x0E25%x;&#x0E38%x;ง &#x41; &amp;") == "ลุง &#x41; &amp;"


def test_an_unknown_file_format_is_refused():
    with pytest.raises(reader.UnsupportedFile):
        list(reader.open_records(io.BytesIO(b"hello, this is not MARC")))
