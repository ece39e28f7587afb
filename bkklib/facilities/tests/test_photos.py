"""Audit and work photos: location from EXIF kept, resized for the web, non-images refused, nothing stored half."""
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image

from bkklib.core.images import PhotoRefused
from bkklib.facilities import services
from bkklib.facilities.models import AuditAnswer, WorkPhoto

from .conftest import jpeg_bytes


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def ramp(site):
    return site.checklist.items.get(code="ramp")


def test_a_photo_keeps_its_location_and_is_resized_without_exif(site, settings):
    audit = services.start_audit(building=site.building, by=site.librarian)
    upload = SimpleUploadedFile("ramp.jpg", jpeg_bytes(gps=True), content_type="image/jpeg")
    answer = services.answer_item(audit_row=audit, item=ramp(site), result="no", measured_value=Decimal("8"),
                                  note="ชันเกินไป", photo=upload, by=site.librarian)
    answer.refresh_from_db()
    assert answer.photo_latitude == pytest.approx(13.76) and answer.photo_longitude == pytest.approx(100.5)
    assert answer.photo_taken_at is not None
    with Image.open(answer.photo.path) as stored:
        assert max(stored.size) == 1600 and not stored.getexif().get_ifd(0x8825)


def test_a_file_that_is_not_a_photo_is_refused_by_name_and_nothing_is_stored(site, settings):
    audit = services.start_audit(building=site.building, by=site.librarian)
    upload = SimpleUploadedFile("รายงาน.pdf", b"%PDF-1.4 not a photo", content_type="application/pdf")
    with pytest.raises(PhotoRefused) as refused:
        services.answer_item(audit_row=audit, item=ramp(site), result="no", photo=upload, by=site.librarian)
    assert "รายงาน.pdf" in refused.value.text
    assert not AuditAnswer.objects.exists() and stored_files(settings) == []


def test_a_database_refusal_after_the_photo_was_written_leaves_no_file(site, settings):
    audit = services.start_audit(building=site.building, by=site.librarian)
    upload = SimpleUploadedFile("door.jpg", jpeg_bytes(), content_type="image/jpeg")
    with pytest.raises(IntegrityError):  # a negative measure breaks facilities_auditanswer_measure_not_negative
        services.answer_item(audit_row=audit, item=ramp(site), result="no", measured_value=Decimal("-1"),
                             photo=upload, by=site.librarian)
    assert not AuditAnswer.objects.exists() and stored_files(settings) == []


def test_every_stored_answer_points_to_an_existing_photo_after_a_replacement(site, settings,
                                                                             django_capture_on_commit_callbacks):
    audit = services.start_audit(building=site.building, by=site.librarian)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.answer_item(audit_row=audit, item=ramp(site), result="no", by=site.librarian,
                                     photo=SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg"))
    old_path = Path(first.photo.path)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.answer_item(audit_row=audit, item=ramp(site), result="yes", by=site.librarian,
                                      photo=SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg"))
    assert not old_path.exists() and Path(second.photo.path).exists()
    assert stored_files(settings) == [Path(second.photo.path)]
    for answer in AuditAnswer.objects.exclude(photo=""):
        assert Path(answer.photo.path).exists()


def test_before_and_after_photos_of_a_work(site, settings):
    work = services.propose_work(branch=site.branch, title="ทางลาด", by=site.librarian)
    services.add_work_photo(work=work, stage="before", by=site.librarian,
                            photo=SimpleUploadedFile("before.jpg", jpeg_bytes(gps=True), content_type="image/jpeg"))
    with pytest.raises(PhotoRefused):
        services.add_work_photo(work=work, stage="after", by=site.librarian,
                                photo=SimpleUploadedFile("after.txt", b"text", content_type="text/plain"))
    assert list(WorkPhoto.objects.values_list("stage", flat=True)) == ["before"]
    assert WorkPhoto.objects.get().latitude == pytest.approx(13.76)
    assert len(stored_files(settings)) == 1
