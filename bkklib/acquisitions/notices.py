"""Messages to patrons about their purchase suggestions, through core's notification service.

The texts are core ``MessageTemplate`` rows (``acquisitions.request_<kind>``) admins can edit; the
Thai and English defaults below are created when missing.
"""
from __future__ import annotations

from django.conf import settings

from bkklib.core import notifications

from .models import Request

SIGNATURE_TH = "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร"
SIGNATURE_EN = "Bangkok Metropolitan Administration libraries"

DEFAULT_TEMPLATES = {
    "received": (
        "หนังสือที่คุณเสนอแนะมาถึงห้องสมุดแล้ว: {{ title }}",
        "เรียน คุณ{{ name }}\n\nหนังสือ “{{ title }}” ที่คุณเสนอให้ห้องสมุดจัดซื้อ ได้รับมาที่ {{ branch }} แล้ว "
        "ขณะนี้อยู่ระหว่างลงรายการและเตรียมขึ้นชั้น เราจะแจ้งอีกครั้งเมื่อพร้อมให้ยืม\n"
        "ติดตามสถานะได้ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "The book you suggested has arrived: {{ title }}",
        "Dear {{ name }},\n\n“{{ title }}”, which you suggested we buy, has arrived at {{ branch }} and is being "
        "catalogued. We will tell you when it is on the shelf.\nFollow it at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "on_shelf": (
        "หนังสือที่คุณเสนอแนะพร้อมให้ยืมแล้ว: {{ title }}",
        "เรียน คุณ{{ name }}\n\nหนังสือ “{{ title }}” ที่คุณเสนอให้จัดซื้อ อยู่บนชั้นที่ {{ branch }} แล้ว "
        "ยืมหรือจองได้ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "The book you suggested is on the shelf: {{ title }}",
        "Dear {{ name }},\n\n“{{ title }}”, which you suggested, is now on the shelf at {{ branch }}. "
        "Borrow or reserve it at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "declined": (
        "ผลการพิจารณาหนังสือที่คุณเสนอแนะ: {{ title }}",
        "เรียน คุณ{{ name }}\n\nขอบคุณที่เสนอหนังสือ “{{ title }}” ห้องสมุดไม่สามารถจัดซื้อได้ในครั้งนี้ "
        "เนื่องจาก{{ reason }}\n\n" + SIGNATURE_TH,
        "About the book you suggested: {{ title }}",
        "Dear {{ name }},\n\nThank you for suggesting “{{ title }}”. We cannot buy it this time: {{ reason }}\n\n"
        + SIGNATURE_EN,
    ),
}


def template_code(kind: str) -> str:
    return f"acquisitions.request_{kind}"


def ensure_templates() -> None:
    for kind, (subject_th, body_th, subject_en, body_en) in DEFAULT_TEMPLATES.items():
        notifications.ensure_template(template_code(kind), subject_th=subject_th, body_th=body_th,
                                      subject_en=subject_en, body_en=body_en, description=f"acquisitions: {kind}")


def send_request_notice(request_id: int, kind: str) -> list:
    """Send the ``kind`` message about a purchase request to its patron; return the delivery attempts."""
    request = Request.objects.select_related("patron", "branch").filter(pk=request_id).first()
    if request is None or request.patron is None or request.patron.status == "erased":
        return []
    ensure_templates()
    patron = request.patron
    english = patron.language == "en"
    recipient = notifications.Recipient(name=patron.full_name, email=patron.email, phone=patron.phone,
                                        line_user_id=patron.line_user_id, language=patron.language or "th")
    context = {
        "name": patron.full_name, "title": request.title, "reason": request.decline_reason,
        "branch": request.branch.name_en if english and request.branch.name_en else request.branch.name_th,
        "url": settings.BKKLIB["SITE_URL"].rstrip("/") + "/account/suggestions/",
    }
    return notifications.notify(recipient, template_code(kind), context,
                                channels=tuple(patron.notice_channels or ["email"]),
                                about=f"acquisitions.request:{request.pk}")
