"""Bad input gets a clear Thai error and stores nothing: an oversized or non-image photo, a state change
the workflow does not allow, a due date in the past, spam on the public form (honeypot, rate limit)."""
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bkklib.cases import services
from bkklib.cases.exceptions import DeadlineInPast, StateChangeRefused
from bkklib.cases.models import Attachment, AuditReport, Case

from .conftest import at, complaint


def jpeg(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def form_data(site, **extra):
    data = {"kind": "complaint", "category": site.category.pk, "branch": site.branch.pk, "title": "ห้องน้ำชำรุด",
            "description": "ก๊อกน้ำรั่วมาสามวัน", "requester_name": "สมชาย ใจดี", "requester_phone": "0899999999",
            "requester_email": "", "website": ""}
    data.update(extra)
    return data


def test_a_non_image_photo_is_refused_and_nothing_stored(site, client):
    fake = SimpleUploadedFile("หลักฐาน.jpg", b"this is not a picture", content_type="image/jpeg")
    response = client.post(reverse("cases:contact"), form_data(site, photo=fake))
    assert response.status_code == 200
    assert "หลักฐาน.jpg" in response.content.decode()
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_photo_is_refused_and_nothing_stored(site, client, settings):
    big = SimpleUploadedFile("big.jpg", jpeg() + b"\0" * (16 * 1024 * 1024), content_type="image/jpeg")
    response = client.post(reverse("cases:contact"), form_data(site, photo=big))
    page = response.content.decode()
    assert response.status_code == 200 and "big.jpg" in page and "15.0" in page
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_a_state_change_not_allowed_is_refused(site, client):
    case = complaint(site, now=at(6, 16, 9))
    with pytest.raises(StateChangeRefused) as refused:
        services.change_state(case=case, target="resolved", by=site.librarian, now=at(6, 16, 10))
    assert "รอรับเรื่อง" in refused.value.text and "เสร็จสิ้น" in refused.value.text
    case.refresh_from_db()
    assert case.state == "new" and case.responded_at is None and not case.comments.exists()
    client.force_login(site.librarian)
    response = client.post(reverse("api-case-state", args=[case.pk]), {"state": "closed"}, content_type="application/json")
    assert response.status_code == 200  # new -> closed (a duplicate) is allowed
    response = client.post(reverse("api-case-state", args=[case.pk]), {"state": "waiting"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "state_change_refused"


def test_a_deadline_in_the_past_is_refused(site):
    report = AuditReport.objects.create(fiscal_year=2568, title="รายงานผลการตรวจสอบ", auditor="หน่วยตรวจสอบภายใน",
                                        received_on=date(2025, 6, 1))
    with pytest.raises(DeadlineInPast) as refused:
        services.file_case(kind="audit_finding", title="ทะเบียนครุภัณฑ์ไม่เป็นปัจจุบัน", description="…",
                           audit_report=report, due_on=date(2025, 6, 15), by=site.admin, now=at(6, 16, 9))
    assert "2568" in refused.value.text
    assert not Case.objects.exists()
    finding = services.file_case(kind="audit_finding", title="ทะเบียนครุภัณฑ์ไม่เป็นปัจจุบัน", description="…",
                                 audit_report=report, due_on=date(2025, 7, 31), by=site.admin, now=at(6, 16, 9))
    assert finding.resolution_due_at == at(7, 31, 16, 30)
    with pytest.raises(DeadlineInPast):
        services.set_due(case=finding, due_on=date(2025, 6, 1), by=site.admin, now=at(6, 16, 9))
    finding.refresh_from_db()
    assert finding.resolution_due_at == at(7, 31, 16, 30)


def test_a_filled_honeypot_is_answered_as_accepted_and_stores_nothing(site, client):
    response = client.post(reverse("cases:contact"), form_data(site, website="http://spam.example"))
    assert response.status_code == 200 and "ได้รับเรื่อง" in response.content.decode()
    assert not Case.objects.exists()


def test_the_public_form_is_rate_limited(site, client):
    cache.clear()
    for _ in range(5):
        assert client.post(reverse("cases:contact"), form_data(site)).status_code == 302
    response = client.post(reverse("cases:contact"), form_data(site))
    assert response.status_code == 429 and "Retry-After" in response
    assert Case.objects.count() == 5


def test_a_named_requester_must_leave_a_contact(site, client):
    response = client.post(reverse("cases:contact"), form_data(site, requester_phone=""))
    assert response.status_code == 200 and 'id="contact-error"' in response.content.decode()
    assert not Case.objects.exists()
    assert client.post(reverse("cases:contact"), form_data(site, requester_phone="", requester_name="",
                                                          is_anonymous="on")).status_code == 302
