"""Every BROKEN/EDGE shared MARC file: a per-record report, and exactly the good records in the catalog."""
import pytest

from bkklib.catalog.importer import import_marc
from bkklib.catalog.marc import reader
from bkklib.catalog.models import Record, RecordIdentifier
from bkklib.search import index

from .marcfiles import MARC_DIR, marc_files, path

pytestmark = pytest.mark.django_db

# (created, failed, skipped) for each file, and what its report must say.
EXPECTED = {
    "marc4j__bad_leaders_10_11.mrc": (1, 0, 0, "leader/10-11"),
    "marc4j__chabon-missing-subfield-code.xml": (0, 1, 0, "a subfield without a code"),
    "marc4j__unordered-directory-entries.mrc": (1, 0, 0, "not in the order of the data"),
    "marcperl__baddir.usmarc": (0, 1, 0, "directory entry 11"),
    # MARC::Record (whose test file this is) and yaz read it too: the bad indicator becomes blank, said so.
    "marcperl__badind.usmarc": (1, 0, 0, "field 245: indicator 1 “-” is not a digit, a lower-case letter or blank: "
                                         "set to blank"),
    "marcperl__badldr.usmarc": (6, 0, 1, "stray byte(s) at the end of the file"),
    "marcperl__cameleof.usmarc": (10, 0, 0, "filler byte(s)"),
    "marcperl__empty-record.xml": (0, 0, 1, "an empty record"),
    "marcperl__filler.usmarc": (3, 0, 0, "skipped 9 filler byte(s)"),
    "marcperl__invalid.xml": (0, 1, 0, "no <record> element"),
    "openlibrary__collingswood_bad_008.mrc": (1, 0, 0, "field 008: character(s) that are no code at position 28"),
    "openlibrary__talis_no_title.mrc": (1, 0, 0, "no title (245)"),
    "pymarc__bad_indicator.dat": (0, 1, 0, "directory entry 1 has tag “0 2”"),
    "pymarc__bad_marc8_escape.dat": (0, 1, 0, "invalid MARC-8 escape sequence"),
    "pymarc__bad_records.mrc": (5, 3, 0, "the record has no fields"),
    "pymarc__bad_subfield_code.dat": (0, 1, 0, "subfield code “á”"),
    "pymarc__bad_tag.xml": (0, 1, 0, "“42” is not a tag"),
    "pymarc__utf8_invalid.mrc": (0, 1, 0, "subfield code “\ufffd”"),
    "yaz__marc4.marc": (1, 0, 0, "stray digit(s) after the record length"),
}


def test_every_broken_or_edge_file_has_an_expectation():
    if MARC_DIR is None:
        pytest.skip("../shared/data/marc is not beside this checkout")
    assert set(marc_files(broken=True)) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_and_edge_files_report_each_record_and_keep_exactly_the_good_ones(name):
    created, failed, skipped, said = EXPECTED[name]
    with open(path(name), "rb") as stream:
        good = [r for r in reader.open_records(stream) if r.ok]

    report = import_marc([path(name)])

    assert (report.created, report.failed, report.skipped) == (created, failed, skipped), report.text()
    text = report.text()
    assert said in text
    for line in report.lines:
        if line.outcome == "failed":  # position, 001 when there is one, the field and the reason
            assert line.position >= 1 and line.tag and line.reason
            assert f"#{line.position}" in text
    # Exactly the good records, each with its identifiers and its search document; nothing of the bad ones.
    assert Record.objects.count() == created == len(good)
    assert sorted(Record.objects.values_list("control_number", flat=True)) == sorted(
        next((v for f in r.record["fields"] for t, v in f.items() if t == "001"), "").strip()[:60] for r in good)
    assert index.count() == created
    assert set(RecordIdentifier.objects.values_list("record_id", flat=True)) <= set(report.record_ids)


def test_a_failed_record_names_its_001_field_and_reason_in_the_report():
    report = import_marc([path("pymarc__bad_subfield_code.dat")])

    assert ("#1 001 fol05731351: failed [245]: subfield code “á” (bytes 0xC3 0xA1) is not a letter, a digit or an ASCII "
            "symbol") in report.text()
