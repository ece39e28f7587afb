"""Every real ISO 2709 file of shared/data/marc through a migration dry run: each record the file holds is
accounted for (created, merged, skipped or refused with its reason), counted against yaz-marcdump."""

from bkklib.catalog.models import Record
from bkklib.migration.services import migrate

SUFFIXES = (".mrc", ".dat", ".marc", ".usmarc")
# Where bkklib and yaz-marcdump count differently, and why (bkklib's count, yaz's count).
DIFFERENT = {
    # lengths computed on the UTF-8 text: yaz stops after record 1; the 3 records are read by terminators
    "ulibm__marcexport-allth_tis620.mrc": (3, 1),
    # yaz finds no record in a file of one malformed record; bkklib reads it, each repair reported
    "yaz__marc4.marc": (1, 0),
    # a record whose leader is damaged: yaz skips it; bkklib reads it by its terminator and skips it as
    # not bibliographic, with the reason
    "marcperl__badldr.usmarc": (7, 6),
}
# Files refused whole (UNIMARC, danMARC: not MARC 21): every record they hold is refused with the file's reason.
REFUSED_WHOLE = {"pymarc__testunimarc.dat": "UNIMARC", "catmandu__dollar_subfields.mrc": "UNIMARC",
                 "yaz__marc1.marc": "not MARC 21"}


def _files(shared):
    return sorted(p for p in (shared / "marc").iterdir() if p.suffix in SUFFIXES)


def test_every_record_of_every_real_export_is_accounted_for(shared_data, branches, yaz_count):
    seen = 0
    for path in _files(shared_data):
        charset = "tis-620" if "tis620" in path.name else "utf-8"
        expected, yaz = DIFFERENT.get(path.name, (None, None))
        counted = yaz_count(path, charset)
        if yaz is not None:
            assert counted == yaz, path.name
        else:
            expected = counted
        report = migrate("koha", marc=[path], dry_run=True)
        assert report.read["record"] == expected, path.name
        assert report.accounted("record") == expected, path.name
        refused = [line for line in report.lines if line.kind == "record" and line.outcome == "refused"]
        assert all(line.reason for line in refused), path.name
        if path.name in REFUSED_WHOLE:
            (line,) = refused
            assert line.number == 0 and REFUSED_WHOLE[path.name] in line.reason
            assert report.counts["record"]["refused"] == expected
        else:
            assert len(refused) == report.counts["record"]["refused"], path.name
        seen += 1
    assert seen >= 60
    assert Record.objects.count() == 0  # dry runs store nothing


def test_a_mixed_file_keeps_its_good_records_and_refuses_each_bad_one_whole(shared_data, branches):
    report = migrate("koha", marc=[shared_data / "marc" / "pymarc__bad_records.mrc"])
    refused = [line for line in report.lines if line.kind == "record" and line.outcome == "refused"]
    assert report.counts["record"]["created"] == Record.objects.count()
    assert report.counts["record"]["created"] + report.counts["record"]["refused"] == 8
    assert len(refused) == report.counts["record"]["refused"] > 0
    assert all(line.number and line.reason for line in refused)
