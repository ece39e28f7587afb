"""Adding e-books: metadata from the EPUB package and the PDF, the catalog record, files by SHA-256, bad input."""
import hashlib
import io
import os
from pathlib import Path

import pytest
from django.utils import translation
from reportlab.pdfgen import canvas

from bkklib.catalog.models import Record
from bkklib.catalog.services import save_record
from bkklib.search import index

from .. import epubgen
from ..exceptions import BadFile, DuplicateFile
from ..models import Title
from ..services import ingest
from .conftest import thai_book

pytestmark = pytest.mark.django_db


def stored_files(media) -> list[Path]:
    root = Path(media) / "elibrary"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_thai_epub_gives_its_metadata_a_new_electronic_record_and_a_file_named_by_its_hash(media):
    data = epubgen.build(thai_book(1))
    title = ingest.ingest(io.BytesIO(data), filename="เล่ม1.epub")
    assert title.title == "ตำนานแม่น้ำเจ้าพระยา เล่ม 1"
    assert title.authors == ["สุนทร ภูริพัฒน์"] and title.language == "th"
    assert title.subjects == ["ประวัติศาสตร์ไทย", "นิทานพื้นบ้าน"] and title.year == 2024  # 2567 BE
    assert title.sha256 == hashlib.sha256(data).hexdigest() and title.size == len(data)
    assert (Path(media) / title.file_path).read_bytes() == data
    assert title.file_path.endswith(f"{title.sha256}.epub")
    record = title.record
    assert record.marc["leader"][6] == "m" and record.material_type == "computer_file"
    links = [f["856"] for f in record.marc["fields"] if "856" in f]
    assert links and f"/elibrary/file/{title.sha256}/" in links[0]["subfields"][0]["u"]
    # indexed by search like any record
    assert record.pk in [hit.id for hit in index.search("เจ้าพระยา").hits]


def test_an_epub_with_an_isbn_links_to_the_print_record_of_that_isbn():
    marc = {"leader": "00000nam a2200000 i 4500", "fields": [
        {"020": {"ind1": " ", "ind2": " ", "subfields": [{"a": "9786161234567"}]}},
        {"245": {"ind1": "0", "ind2": "0", "subfields": [{"a": "ตำนานแม่น้ำ (ฉบับพิมพ์)"}]}}]}
    from stdnum import ean

    number = "978616123456" + ean.calc_check_digit("978616123456")
    marc["fields"][0]["020"]["subfields"][0]["a"] = number
    printed = save_record(marc)
    title = ingest.ingest(io.BytesIO(epubgen.build(thai_book(2, identifier=f"urn:isbn:{number}"))), filename="b.epub")
    assert title.record_id == printed.pk and title.isbn == number
    assert Record.objects.count() == 1


def test_the_shared_minimal_epubs_are_read(shared_data):
    for name in ("epubcheck__epub3-minimal-valid.epub", "epubcheck__epub2-ocf-minimal-valid.epub"):
        path = shared_data / "epub" / name
        title = ingest.ingest(str(path), filename=name)
        assert title.title and title.format == "epub"


def test_a_pdf_gives_its_document_title_and_author():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.setTitle("คู่มือการใช้ห้องสมุด")
    c.setAuthor("กองห้องสมุด")
    c.drawString(100, 700, "hello")
    c.save()
    title = ingest.ingest(io.BytesIO(buffer.getvalue()), filename="manual.pdf")
    assert (title.title, title.authors, title.format, title.media_type) == (
        "คู่มือการใช้ห้องสมุด", ["กองห้องสมุด"], "pdf", "application/pdf")


def _refused(media, data, filename, expected):
    with pytest.raises(BadFile) as caught, translation.override("en"):
        ingest.ingest(io.BytesIO(data) if isinstance(data, bytes) else data, filename=filename)
    assert expected in caught.value.text and filename in caught.value.text
    assert not Title.objects.exists() and not Record.objects.exists()
    assert list(stored_files(media)) == []  # nothing half-stored, not even the spooled copy


def test_a_corrupt_epub_is_refused_with_a_clear_message_and_nothing_stored(media):
    data = epubgen.build(thai_book(3))
    _refused(media, data[: len(data) // 2], "broken.epub", "damaged")


def test_a_pdf_renamed_epub_is_refused(media):
    _refused(media, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "report.epub", "PDF")


def test_an_epub_without_a_title_is_refused(media):
    _refused(media, epubgen.build(thai_book(4, title="")), "untitled.epub", "dc:title")


def test_a_two_gigabyte_upload_is_refused_before_it_is_read(media, tmp_path):
    big = tmp_path / "huge.epub"
    with open(big, "wb") as handle:  # sparse: takes no disk space
        handle.seek(2 * 1024**3 - 1)
        handle.write(b"\0")
    assert os.path.getsize(big) == 2 * 1024**3
    with pytest.raises(BadFile) as caught, translation.override("en"):
        ingest.ingest(str(big), filename="huge.epub")
    assert "2.0\xa0GB" in caught.value.text and "huge.epub" in caught.value.text
    assert stored_files(media) == [] and not Title.objects.exists()


def test_the_same_file_twice_is_refused_and_the_first_copy_kept(media):
    data = epubgen.build(thai_book(5))
    first = ingest.ingest(io.BytesIO(data), filename="a.epub")
    with pytest.raises(DuplicateFile):
        ingest.ingest(io.BytesIO(data), filename="again.epub")
    assert Title.objects.count() == 1 and (Path(media) / first.file_path).exists()
    assert len(stored_files(media)) == 1


def test_a_title_row_without_its_file_is_impossible():
    from django.db import IntegrityError

    record = save_record({"leader": "00000nmm a2200000 i 4500", "fields": [
        {"245": {"ind1": "0", "ind2": "0", "subfields": [{"a": "x"}]}}]})
    from django.utils import timezone

    with pytest.raises(IntegrityError):
        Title.objects.create(record=record, title="ไม่มีไฟล์", format="epub", created_at=timezone.now())


def test_import_ebooks_reports_each_file_and_adds_the_good_ones(tmp_path, media):
    from django.core.management import call_command

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.epub").write_bytes(epubgen.build(thai_book(6)))
    (folder / "bad.epub").write_bytes(b"not a zip")
    out = io.StringIO()
    call_command("import_ebooks", str(folder), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "added    good.epub" in text and "refused  bad.epub" in text and "1 of 2 files added" in text
    assert Title.objects.count() == 1


def test_an_audiobook_file_needs_a_typed_title_and_keeps_its_media_type(media):
    data = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 500
    with pytest.raises(BadFile):
        ingest.ingest(io.BytesIO(data), filename="tale.mp3")
    title = ingest.ingest(io.BytesIO(data), filename="tale.mp3", title="นิทานเสียง", authors=["ผู้อ่าน"])
    assert (title.format, title.media_type, title.record.marc["leader"][6]) == ("audio", "audio/mpeg", "i")
    assert stored_files(media) == [Path(media) / title.file_path]
