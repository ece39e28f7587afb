"""Notices of the events app: a participant promoted from the waiting list is told they have a place.

The text is core's editable ``MessageTemplate`` ``events.promoted`` (Thai and English); the default
below is created when missing. Patrons get it on the channels they chose; guests by SMS.
"""
from bkklib.circulation import notices as circulation_notices
from bkklib.core import notifications
from bkklib.core.calendar import thai_datetime

from .models import Registration

PROMOTED_TEMPLATE = "events.promoted"
PROMOTED_TEXTS = {
    "subject_th": "ได้ที่นั่งแล้ว: {{ title }}",
    "body_th": "เรียน คุณ{{ name }}\n\nมีที่ว่างในกิจกรรม “{{ title }}” วันที่ {{ when }} ที่ {{ where }} "
               "คุณได้เลื่อนจากรายชื่อสำรองเป็นผู้ลงทะเบียนแล้ว\nหากไม่สะดวกมา โปรดยกเลิกเพื่อให้ผู้อื่นได้ที่นั่ง\n\n"
               "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร",
    "subject_en": "You have a place: {{ title }}",
    "body_en": "Dear {{ name }},\n\nA place came free in “{{ title }}” on {{ when }} at {{ where }}: you have moved "
               "from the waiting list to registered.\nIf you cannot come, please cancel so someone else can.\n\n"
               "Bangkok Metropolitan Administration libraries",
}

def ensure_templates() -> None:
    notifications.ensure_template(PROMOTED_TEMPLATE, description="events: promoted from the waiting list",
                                  **PROMOTED_TEXTS)


def notify_promoted(registration_id: int) -> list:
    """Tell a promoted participant they have a place (e-mail/LINE/SMS as the patron chose; SMS for guests)."""
    registration = (Registration.objects.select_related("session__activity__branch", "patron")
                    .filter(pk=registration_id, status=Registration.Status.REGISTERED).first())
    if registration is None:
        return []
    ensure_templates()
    session, patron = registration.session, registration.patron
    if patron is not None:
        recipient = circulation_notices.recipient_for(patron)
        channels = circulation_notices.channels_for(patron)
    else:
        recipient = notifications.Recipient(name=registration.guest_name, phone=registration.guest_phone)
        channels = ("sms",)
    context = {"name": recipient.name, "title": session.activity.title, "where": session.activity.where,
               "when": thai_datetime(session.starts_at, lang=recipient.language)}
    return notifications.notify(recipient, PROMOTED_TEMPLATE, context, channels=channels,
                                about=f"events.registration:{registration.pk}")
