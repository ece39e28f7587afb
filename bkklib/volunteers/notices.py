"""Notices to applicants and volunteers through core's notification service (editable templates
``volunteers.<kind>``; the Thai and English defaults below are created when missing)."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from bkklib.core import notifications

SIGNATURE_TH = "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร"
SIGNATURE_EN = "Bangkok Metropolitan Administration libraries"

DEFAULT_TEMPLATES = {
    "received": (
        "ได้รับใบสมัครอาสาสมัคร {{ reference }} แล้ว",
        "เรียน คุณ{{ name }}\n\nห้องสมุดได้รับใบสมัคร “{{ call }}” ของคุณแล้ว (เลขที่ {{ reference }}) "
        "ติดตามผลได้ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "Volunteer application {{ reference }} received",
        "Dear {{ name }},\n\nWe received your application to “{{ call }}” (reference {{ reference }}). "
        "Follow it at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "interview": (
        "นัดสัมภาษณ์อาสาสมัคร {{ when }}",
        "เรียน คุณ{{ name }}\n\nขอเชิญสัมภาษณ์อาสาสมัคร “{{ call }}” วันที่ {{ when }} ที่ {{ place }}\n"
        "รายละเอียด {{ url }}\n\n" + SIGNATURE_TH,
        "Volunteer interview {{ when }}",
        "Dear {{ name }},\n\nPlease come to an interview for “{{ call }}” on {{ when }} at {{ place }}.\n"
        "Details: {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "accepted": (
        "ยินดีต้อนรับอาสาสมัคร {{ reference }}",
        "เรียน คุณ{{ name }}\n\nคุณได้รับการคัดเลือกเป็นอาสาสมัคร “{{ call }}” ({{ reason }}) "
        "ตั้งรหัสผ่านและยอมรับข้อตกลงได้ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "Welcome as a volunteer ({{ reference }})",
        "Dear {{ name }},\n\nYou have been accepted as a volunteer for “{{ call }}” ({{ reason }}). "
        "Set your password and accept the agreement at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "rejected": (
        "ผลการสมัครอาสาสมัคร {{ reference }}",
        "เรียน คุณ{{ name }}\n\nขออภัย ใบสมัคร “{{ call }}” ไม่ผ่านการคัดเลือก: {{ reason }} "
        "ข้อมูลส่วนบุคคลของคุณจะถูกลบภายใน {{ days }} วัน\n\n" + SIGNATURE_TH,
        "Your volunteer application {{ reference }}",
        "Dear {{ name }},\n\nSorry, your application to “{{ call }}” was not accepted: {{ reason }} "
        "Your personal data will be deleted within {{ days }} days.\n\n" + SIGNATURE_EN,
    ),
}


def template_code(kind: str) -> str:
    return f"volunteers.{kind}"


def ensure_templates() -> None:
    for kind, (subject_th, body_th, subject_en, body_en) in DEFAULT_TEMPLATES.items():
        notifications.ensure_template(template_code(kind), subject_th=subject_th, body_th=body_th,
                                      subject_en=subject_en, body_en=body_en, description=f"volunteers: {kind}")


def send_application_notice(application, kind: str, **extra) -> None:
    """Tell the applicant about their application (by email; a failing channel never raises)."""
    from .pdpa import RETENTION_DAYS

    if not application.email:
        return
    ensure_templates()
    url = settings.BKKLIB["SITE_URL"].rstrip("/") + reverse("volunteers:status", args=[application.token])
    context = {"name": application.full_name, "reference": application.reference, "call": application.call.title,
               "url": url, "reason": application.decision_reason, "days": RETENTION_DAYS, **extra}
    notifications.notify(notifications.Recipient(name=application.full_name, email=application.email),
                         template_code(kind), context, about=f"volunteers.application:{application.pk}")
