"""Damage real exports carry (found by importing public test files of other MARC libraries): what is readable
is kept, what was repaired or lost is said in the record's report line, and nothing is refused for less."""
import importlib
import io

import pytest
from django.db import connection

from bkklib.catalog.marc import encoding, reader
from bkklib.catalog.marc.writer import to_iso2709


def iso(fields, *, leader="00000nam a2200000 a 4500", replace=()):
    """Return one ISO 2709 record of ``fields``, then with each (placeholder, bytes) of the same length swapped
    in: the lengths stay right, only the bytes are damaged."""
    data = to_iso2709({"leader": leader, "fields": fields})
    for placeholder, raw in replace:
        assert len(placeholder) == len(raw) and placeholder in data
        data = data.replace(placeholder, raw)
    return data


def read(data, **kw):
    (result,) = reader.read_iso2709(io.BytesIO(data), **kw)
    return result


def title(result):
    return next(s["a"] for f in result.record["fields"] for t, v in f.items() if t == "245" for s in v["subfields"]
                if "a" in s)


def data_field(tag, text, ind=("1", "0")):
    return {tag: {"ind1": ind[0], "ind2": ind[1], "subfields": [{"a": text}]}}


def test_a_utf8_record_with_one_bad_byte_stays_utf8_and_says_which_field():
    result = read(iso([{"001": "39829"}, data_field("245", "Čhamlō̜ng Phitsanākha ##"), data_field("500", "Thai ไทย")],
                      replace=[(b"##", b"\xc0!")]))

    assert result.ok and result.encoding == encoding.UTF8_DAMAGED
    assert title(result) == "Čhamlō̜ng Phitsanākha \ufffd!"  # not MARC-8 mojibake of the whole record
    assert result.notes == ["field 245: 1 byte sequence(s) that are not UTF-8 replaced by U+FFFD (�)"]


def test_damaged_bytes_inside_a_latin_word_are_not_thai():
    # leader/09 says UTF-8; five damaged bytes decode to Thai letters in windows-874, inside a French word.
    result = read(iso([data_field("245", "adaptation franc#####ise")], replace=[(b"#####", b"\xf8\xbf\xbf\xbf\xb9")]))

    assert result.encoding == encoding.UTF8_DAMAGED
    assert "๘" not in title(result) and title(result).startswith("adaptation franc\ufffd")


def test_a_tis620_record_behind_a_utf8_leader_is_still_thai():
    thai = "การออกแบบเรขาคณิต ภาษาไทย".encode("cp874")
    result = read(iso([data_field("245", "X" * len(thai))], replace=[(b"X" * len(thai), thai)]))

    assert result.encoding == encoding.TIS620 and title(result) == "การออกแบบเรขาคณิต ภาษาไทย"


def test_marc8_diacritics_behind_a_utf8_leader_are_still_marc8():
    # ANSEL: the acute accent (0xE2) comes before its letter.
    result = read(iso([data_field("245", "Caf## ok")], replace=[(b"##", b"\xe2e")]))

    assert result.encoding == encoding.MARC8 and title(result) == "Café ok"


def test_a_bad_indicator_is_set_to_blank_and_the_record_kept():
    result = read(iso([{"001": "000807790"}, data_field("245", "Pride and prejudice"),
                       data_field("876", "local", ind=("X", "1"))], replace=[(b"X1\x1fa", b"-1\x1fa")]))

    assert result.ok
    assert {"876": {"ind1": " ", "ind2": "1", "subfields": [{"a": "local"}]}} in result.record["fields"]
    assert result.notes == ["field 876: indicator 1 “-” is not a digit, a lower-case letter or blank: set to blank"]


def test_a_control_character_is_named_by_its_code_in_the_report():
    result = read(iso([data_field("245", "Title"), data_field("010", "x", ind=("X", " "))],
                      replace=[(b"X \x1fa", b"\x14 \x1fa")]))

    assert result.ok and "indicator 1 “U+0014”" in result.notes[0]


def test_marc8_characters_no_set_holds_are_said_to_be_lost():
    # ESC $ 1 (CJK, three bytes a character): 0x21 0x30 0x64 is a character, 0x7F 0x7F 0x7F is none.
    result = read(iso([data_field("245", "A"), data_field("880", "############")], leader="00000nam  2200000 a 4500",
                      replace=[(b"############", b"\x1b$1!0d\x7f\x7f\x7f\x1b(B")]))

    assert result.ok and result.encoding == encoding.MARC8
    assert any("880: 1 MARC-8 character(s) that no MARC-8 character set holds read as blanks" in n for n in result.notes)


def test_an_oai_pmh_envelope_gives_its_marc_records_only():
    marc = ('<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:leader>00000nam a2200000 a 4500'
            '</marc:leader><marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a">{}</marc:subfield>'
            '</marc:datafield></marc:record>')
    oai = ('<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
           + "".join(f"<record><header><identifier>oai:x:{i}</identifier></header><metadata>{marc.format(t)}</metadata>"
                     "</record>" for i, t in enumerate(["One", "Two"])) + "</ListRecords></OAI-PMH>")
    dublin_core = ('<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header/><metadata>'
                   '<dc xmlns="http://purl.org/dc/elements/1.1/"><title>Three</title></dc></metadata></record>'
                   '</ListRecords></OAI-PMH>')

    assert [(r.ok, title(r)) for r in reader.read_marcxml(io.BytesIO(oai.encode()))] == [(True, "One"), (True, "Two")]
    (refused,) = reader.read_marcxml(io.BytesIO(dublin_core.encode()))
    assert refused.error.startswith("no <record> element of MARC 21 in the file")


def test_a_file_that_is_not_json_is_one_error_not_one_per_line():
    text = '{leader: "00000nam a2200000 a 4500",\n fields: []}\n{"a": 1}\n'

    (refused,) = reader.read_json(io.BytesIO(text.encode()))
    assert refused.error.startswith("the file is not JSON (line 1, column 2")


def test_json_of_another_shape_is_named_as_such():
    (refused,) = reader.read_json(io.BytesIO(b'{"_id": "1", "record": [["LDR", " ", " ", "_", "00000nam"]]}'))

    assert refused.error == "not MARC-in-JSON: an object without “leader” and “fields” (it has: _id, record)"


def test_the_display_title_keeps_isbd_separators_even_where_the_source_left_them_out():
    from bkklib.catalog.marc.extract import extract

    def title_of(*subfields):
        return extract({"leader": "00000nam a2200000 a 4500", "fields": [
            {"245": {"ind1": "1", "ind2": "0", "subfields": [{c: v} for c, v in subfields]}}]}).title

    assert title_of(("a", "Ten years at NIH"), ("b", "advancing health")) == "Ten years at NIH : advancing health"
    assert title_of(("a", "สี่แผ่นดิน :"), ("b", "นวนิยาย /"), ("c", "คึกฤทธิ์")) == "สี่แผ่นดิน : นวนิยาย"
    assert title_of(("a", "Harry Potter ="), ("b", "แฮร์รี่ พอตเตอร์")) == "Harry Potter = แฮร์รี่ พอตเตอร์"
    assert title_of(("a", "Journal."), ("n", "Part A,"), ("p", "Physics.")) == "Journal. Part A. Physics."


@pytest.mark.django_db
def test_the_migration_gives_older_records_their_isbd_titles():
    from bkklib.catalog.importer import import_marc
    from bkklib.catalog.models import Record
    from bkklib.search import index

    from .factories import marc_record

    record = marc_record("สี่แผ่นดิน")
    record["fields"][-2]["245"]["subfields"] = [{"a": "สี่แผ่นดิน"}, {"b": "นวนิยายอิงประวัติศาสตร์"}]
    report = import_marc([io.BytesIO(to_iso2709(record))])
    Record.objects.update(title="สี่แผ่นดิน นวนิยายอิงประวัติศาสตร์")  # as stored before

    migration = importlib.import_module("bkklib.catalog.migrations.0006_isbd_titles")
    migration.forwards(None, type("Editor", (), {"connection": connection})())

    assert Record.objects.get().title == "สี่แผ่นดิน : นวนิยายอิงประวัติศาสตร์"
    assert [h.id for h in index.search("สี่แผ่นดิน").hits] == report.record_ids


@pytest.mark.django_db
def test_the_import_report_is_thai_by_default_and_english_on_request():
    from django.utils import translation

    from bkklib.catalog.importer import import_marc

    data = iso([{"001": "b1"}, data_field("245", "Pride and prejudice"), data_field("876", "x", ind=("X", "1"))],
               replace=[(b"X1\x1fa", b"-1\x1fa")]) + b"00050nam  2200025   4500\x1e\x1d"
    report = import_marc([io.BytesIO(data)])

    with translation.override("th"):
        thai = report.text()
    with translation.override("en"):
        english = report.text()
    assert "#1 001 b1: ซ่อมแล้ว: เขตข้อมูล 876: ตัวบ่งชี้ 1 “-” ไม่ใช่ตัวเลข" in thai
    assert "#2: ไม่ผ่าน [LDR]: ระเบียนไม่มีเขตข้อมูล" in thai and "สรุป: อ่าน 2 สร้าง 1 แทนที่ 0 ข้าม 0 ไม่ผ่าน 1" in thai
    assert "#1 001 b1: repaired: field 876: indicator 1 “-” is not a digit" in english
    assert "summary: read 2, created 1, overlaid 0, skipped 0, failed 1" in english
    # The lines keep their English text as values (logs, comparisons): the report is rendered when shown.
    (repaired,) = [line for line in report.lines if line.outcome == "repaired"]
    assert repaired.reason == "field 876: indicator 1 “-” is not a digit, a lower-case letter or blank: set to blank"


def test_messages_made_in_a_helper_process_keep_their_template_and_values():
    import pickle

    from django.utils import translation

    from bkklib.catalog.marc.messages import Message, translated

    message = pickle.loads(pickle.dumps(Message("empty field {tag} dropped", tag="245")))
    assert message == "empty field 245 dropped" and isinstance(message, Message)
    with translation.override("th"):
        assert translated(message) == "เขตข้อมูล 245 ว่าง: ตัดทิ้ง"
