"""Messages to patrons about their bookings through core's notification service.

The texts are core ``MessageTemplate`` rows (``spaces.<kind>``) that admins edit; the Thai and
English defaults below are created when missing. The confirmation carries the booking as an
``.ics`` file (core/ics.py), so the patron's phone calendar holds it.
"""
from __future__ import annotations

from django.conf import settings

from bkklib.core import ics, notifications
from bkklib.core.calendar import thai_date

from . import queries
from .models import Booking, BookingSuspension

SIGNATURE_TH = "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร"
SIGNATURE_EN = "Bangkok Metropolitan Administration libraries"

DEFAULT_TEMPLATES = {
    "confirmed": (
        "ยืนยันการจอง {{ space }} {{ when }}",
        "เรียน คุณ{{ name }}\n\nการจอง {{ space }} ที่ {{ branch }} วันที่ {{ when }} ได้รับการยืนยันแล้ว "
        "(รหัสการจอง {{ code }} จำนวน {{ people }} คน)\n"
        "เมื่อมาถึง โปรดสแกน QR ที่พื้นที่ หรือแสดงรหัสการจองที่เคาน์เตอร์ ภายใน {{ release }} นาทีหลังเวลาเริ่ม "
        "มิฉะนั้นระบบจะปล่อยที่ให้ผู้อื่น\nยกเลิกได้ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "Booking confirmed: {{ space }} {{ when }}",
        "Dear {{ name }},\n\nYour booking of {{ space }} at {{ branch }} on {{ when }} is confirmed (code {{ code }}, "
        "{{ people }} people).\nWhen you arrive, scan the QR code at the space or show the code at the desk within "
        "{{ release }} minutes of the start, or the space is released.\nCancel at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "pending": (
        "ได้รับคำขอจอง {{ space }} แล้ว รอเจ้าหน้าที่อนุมัติ",
        "เรียน คุณ{{ name }}\n\nห้องสมุดได้รับคำขอจอง {{ space }} ที่ {{ branch }} วันที่ {{ when }} แล้ว "
        "(รหัส {{ code }}) เจ้าหน้าที่จะแจ้งผลการอนุมัติให้ทราบ\n\n" + SIGNATURE_TH,
        "Booking request received: {{ space }}",
        "Dear {{ name }},\n\nWe received your request for {{ space }} at {{ branch }} on {{ when }} (code {{ code }}). "
        "Staff will let you know whether it is approved.\n\n" + SIGNATURE_EN,
    ),
    "rejected": (
        "คำขอจอง {{ space }} ไม่ได้รับการอนุมัติ",
        "เรียน คุณ{{ name }}\n\nขออภัย คำขอจอง {{ space }} วันที่ {{ when }} (รหัส {{ code }}) ไม่ได้รับการอนุมัติ "
        "โปรดติดต่อ {{ branch }}\n\n" + SIGNATURE_TH,
        "Booking request not approved: {{ space }}",
        "Dear {{ name }},\n\nSorry, your request for {{ space }} on {{ when }} (code {{ code }}) was not approved. "
        "Please contact {{ branch }}.\n\n" + SIGNATURE_EN,
    ),
    "cancelled": (
        "ยกเลิกการจอง {{ space }} {{ when }}",
        "เรียน คุณ{{ name }}\n\nการจอง {{ space }} ที่ {{ branch }} วันที่ {{ when }} (รหัส {{ code }}) ถูกยกเลิก "
        "เนื่องจาก{{ reason }} ขออภัยในความไม่สะดวก จองเวลาอื่นได้ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "Booking cancelled: {{ space }} {{ when }}",
        "Dear {{ name }},\n\nYour booking of {{ space }} at {{ branch }} on {{ when }} (code {{ code }}) was "
        "cancelled: {{ reason }}. We are sorry. Book another time at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "suspended": (
        "งดสิทธิ์จองพื้นที่ถึงวันที่ {{ until }}",
        "เรียน คุณ{{ name }}\n\nคุณไม่ได้มาใช้พื้นที่ที่จองไว้หลายครั้ง ({{ reason }}) จึงงดสิทธิ์จองพื้นที่ออนไลน์"
        "ถึงวันที่ {{ until }} หากมีข้อสงสัย โปรดติดต่อห้องสมุด\n\n" + SIGNATURE_TH,
        "Space bookings suspended until {{ until }}",
        "Dear {{ name }},\n\nYou did not come to several bookings ({{ reason }}), so you may not book spaces online "
        "until {{ until }}. Contact the library with any question.\n\n" + SIGNATURE_EN,
    ),
}


def _site() -> str:
    return settings.BKKLIB["SITE_URL"].rstrip("/")


def template_code(kind: str) -> str:
    return f"spaces.{kind}"


def ensure_templates() -> None:
    """Create the default texts of every spaces message an admin has not written."""
    for kind, (subject_th, body_th, subject_en, body_en) in DEFAULT_TEMPLATES.items():
        notifications.ensure_template(template_code(kind), subject_th=subject_th, body_th=body_th,
                                      subject_en=subject_en, body_en=body_en, description=f"spaces: {kind}")


def recipient_for(patron) -> notifications.Recipient:
    return notifications.Recipient(name=patron.full_name, email=patron.email, phone=patron.phone,
                                   line_user_id=patron.line_user_id, language=patron.language or "th")


def channels_for(patron) -> tuple[str, ...]:
    return tuple(patron.notice_channels or ["email"])


def ics_event(booking: Booking) -> ics.Event:
    """Return the booking as a calendar event (stable UID: a re-sent file updates the same event)."""
    status = {"cancelled": "CANCELLED", "rejected": "CANCELLED", "no_show": "CANCELLED",
              "pending": "TENTATIVE"}.get(booking.status, "CONFIRMED")
    branch = booking.branch
    return ics.Event(
        uid=f"space-booking-{booking.code}@bkklib", start=booking.starts_at, end=booking.ends_at,
        summary=f"{booking.space.name_th} · {branch.name_th}",
        description=f"รหัสการจอง {booking.code} · {booking.people} คน",
        location=", ".join(x for x in (branch.name_th, branch.address) if x), status=status,
        url=f"{_site()}/spaces/bookings/{booking.code}/",
        geo=(float(branch.latitude), float(branch.longitude)) if branch.latitude and branch.longitude else None,
    )


def ics_file(booking: Booking) -> bytes:
    return ics.calendar([ics_event(booking)], name=booking.space.name_th)


def _context(booking: Booking) -> dict:
    from .services import when_text

    patron = booking.patron
    english = patron.language == "en"
    return {
        "name": patron.full_name_en if english and patron.full_name_en.strip() else patron.full_name,
        "space": booking.space.name_en if english and booking.space.name_en else booking.space.name_th,
        "branch": booking.branch.name_en if english and booking.branch.name_en else booking.branch.name_th,
        "when": when_text(booking), "code": booking.code, "people": booking.people,
        "release": queries.rule_for(booking.space).release_after_minutes,
        "reason": booking.cancel_reason, "url": f"{_site()}/account/",
    }


def send_booking_notice(booking_id: int, kind: str) -> list:
    """Send the ``kind`` message about a booking to its patron; return the delivery attempts."""
    booking = Booking.objects.select_related("space", "branch", "patron").filter(pk=booking_id).first()
    if booking is None or booking.patron is None or booking.patron.status == "erased":
        return []
    ensure_templates()
    attachments = ()
    if kind == "confirmed":
        attachments = ((f"booking-{booking.code}.ics", ics_file(booking), "text/calendar"),)
    return notifications.notify(recipient_for(booking.patron), template_code(kind), _context(booking),
                                channels=channels_for(booking.patron), about=f"spaces.booking:{booking.pk}",
                                attachments=attachments)


def send_suspension_notice(suspension_id: int) -> list:
    suspension = BookingSuspension.objects.select_related("patron").filter(pk=suspension_id).first()
    if suspension is None:
        return []
    ensure_templates()
    patron = suspension.patron
    return notifications.notify(recipient_for(patron), template_code("suspended"),
                                {"name": patron.full_name, "until": thai_date(suspension.ends_on, lang=patron.language),
                                 "reason": suspension.reason},
                                channels=channels_for(patron), about=f"spaces.suspension:{suspension.pk}")
