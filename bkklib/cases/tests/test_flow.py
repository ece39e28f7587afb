"""The service desk end to end through the pages: a citizen files a complaint with a photo, staff route
and answer it, close it with a root cause, the citizen rates it, and the monthly report counts it;
then the other staff pages and reports (visits, audit PDF/XLSX, evidence checklist) render."""
import io
import re
import subprocess
from datetime import date

from django.urls import reverse
from django.utils import timezone
from PIL import Image

from bkklib.cases import queries, services
from bkklib.cases.models import Attachment, AuditReport, Case, EvidenceItem, Visit


def photo_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("ก๊อกน้ำ.jpg", out.getvalue(), content_type="image/jpeg")


def test_complaint_filed_routed_answered_closed_rated_and_counted(site, client, django_capture_on_commit_callbacks,
                                                                  mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:contact"), {
            "kind": "complaint", "category": site.category.pk, "branch": site.branch.pk, "title": "ก๊อกน้ำรั่ว",
            "description": "ห้องน้ำชั้น 2 ก๊อกน้ำรั่ว", "requester_name": "สมชาย ใจดี",
            "requester_email": "somchai@example.org", "photo": photo_upload(), "website": ""})
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:contact-done", args=[case.code])
    assert case.attachments.get().stage == Attachment.Stage.BEFORE
    assert mailoutbox and case.code in mailoutbox[0].body

    client.force_login(site.librarian)
    assert client.post(reverse("cases:staff-case-action", args=[case.pk, "route"]),
                       {"units": [site.unit.pk]}).status_code == 302
    client.post(reverse("cases:staff-case-action", args=[case.pk, "answer"]), {"answer": "เปลี่ยนก๊อกน้ำใหม่แล้ว"})
    case.refresh_from_db()
    assert case.state == "resolved"
    # A complaint is not closed without its root cause.
    client.post(reverse("cases:staff-case-action", args=[case.pk, "close"]), {"root_cause": "", "preventive_action": ""})
    case.refresh_from_db()
    assert case.state == "resolved"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:staff-case-action", args=[case.pk, "close"]),
                    {"root_cause": "ก๊อกน้ำเสื่อมตามอายุ", "preventive_action": "ตรวจสุขภัณฑ์ทุกเดือน"})
    case.refresh_from_db()
    assert case.state == "closed" and case.root_cause == "ก๊อกน้ำเสื่อมตามอายุ"
    assert any("ประเมิน" in m.subject for m in mailoutbox)  # the satisfaction survey

    client.logout()
    page = client.get(reverse("cases:track", args=[case.code])).content.decode()
    assert "เปลี่ยนก๊อกน้ำใหม่แล้ว" in page and 'name="rating"' in page
    client.post(reverse("cases:track", args=[case.code]), {"rating": "4", "comment": "รวดเร็ว", "website": ""})
    case.refresh_from_db()
    assert case.rating == 4
    # Rated once only.
    client.post(reverse("cases:track", args=[case.code]), {"rating": "1", "comment": "", "website": ""})
    case.refresh_from_db()
    assert case.rating == 4

    report = queries.monthly_report(timezone.localdate(case.filed_at))
    assert (report.total, report.finished, report.on_time, report.average_rating) == (1, 1, 1, 4.0)
    assert report.by_channel == [("แบบฟอร์มบนเว็บ", 1)] or report.by_channel[0][1] == 1
    client.force_login(site.admin)
    page = client.get(reverse("cases:staff-monthly")).content.decode()
    assert re.search(r'id="m-total">1<', page)


def test_monthly_report_counts_channels_on_time_and_recurring_causes(site):
    from .conftest import at, complaint

    first = complaint(site, now=at(6, 16, 9))
    second = complaint(site, now=at(6, 17, 9), channel="phone")
    complaint(site, now=at(7, 1, 9))  # next month
    for case, when in ((first, at(6, 17, 10)), (second, at(6, 30, 10))):
        services.answer(case=case, text="แก้ไขแล้ว", by=site.librarian, now=when)
        services.close(case=case, by=site.librarian, root_cause="เจ้าหน้าที่ไม่พอ ", preventive_action="จัดเวร",
                       now=when)
    report = queries.monthly_report(date(2025, 6, 1))
    assert report.total == 2 and report.finished == 2 and report.on_time == 1 and report.on_time_rate == 50.0
    assert sorted(n for _, n in report.by_channel) == [1, 1]
    assert report.causes == [("เจ้าหน้าที่ไม่พอ", 2)]


def test_visit_audit_and_checklist_pages(site, client):
    client.force_login(site.admin)
    response = client.post(reverse("cases:staff-visits"), {"visited_on": "2025-06-16", "title": "ผู้ว่าฯ ลงพื้นที่",
                                                            "visitors": "ผู้ว่าราชการ", "branches": [site.branch.pk]})
    visit = Visit.objects.get()
    assert response.status_code == 302
    client.post(reverse("cases:staff-visit", args=[visit.pk]), {"branch": site.branch.pk, "title": "ทาสีรั้วใหม่",
                                                                 "description": "สีลอก"})
    item = visit.items.get()
    assert item.response_amount == 24 and item.response_unit == "calendar_hours"
    assert "ทาสีรั้วใหม่" in client.get(reverse("cases:staff-visit", args=[visit.pk])).content.decode()
    pdf = client.get(reverse("cases:staff-visit-report", args=[visit.pk])).content
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "ทาสีรั้วใหม่" in text.replace(" ", "")

    client.post(reverse("cases:staff-audits"), {"fiscal_year": 2568, "title": "ผลการตรวจสอบ 2568",
                                                 "auditor": "หน่วยตรวจสอบภายใน", "received_on": "2025-06-01"})
    report = AuditReport.objects.get()
    due = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    client.post(reverse("cases:staff-audit", args=[report.pk]), {
        "title": "ทะเบียนครุภัณฑ์ไม่ครบ", "description": "ไม่พบ 3 รายการ", "risk": "high",
        "recommendation": "ตรวจนับใหม่", "agreed_action": "ตรวจนับภายในไตรมาส", "unit": site.unit.pk,
        "due_on": due})
    finding = report.findings.get()
    assert finding.risk == "high" and finding.units.get() == site.unit and finding.due_fixed
    assert client.get(reverse("cases:staff-audit", args=[report.pk]) + "?format=pdf")["Content-Type"] == \
        "application/pdf"
    xlsx = client.get(reverse("cases:staff-audit", args=[report.pk]) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    item = EvidenceItem.objects.create(code="test-point", requirement="ประกาศมาตรฐานการให้บริการ")
    client.post(reverse("cases:staff-evidence"), {"item": item.pk, f"i{item.pk}-status": "met",
                                                  f"i{item.pk}-links": "/contact/standards/\njavascript:alert(1)",
                                                  f"i{item.pk}-note": ""})
    item.refresh_from_db()
    assert item.status == "met" and item.link_list == ["/contact/standards/"]
    for name in ("cases:staff-list", "cases:staff-new", "cases:staff-evidence", "cases:standards", "cases:contact"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("cases:staff-monthly") + "?format=xlsx").content[:2] == b"PK"
