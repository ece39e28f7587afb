"""Messages about cases through core's notification service: to the requester (received, answered,
closed with the satisfaction survey) and to staff (deadline reminders, escalation to the unit head).

The texts are core ``MessageTemplate`` rows (``cases.<kind>``) that admins edit; the Thai and English
defaults below are created when missing.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from bkklib.core import notifications
from bkklib.core.calendar import thai_datetime
from bkklib.network.models import Position

from .models import Alert, Case

SIGNATURE_TH = "ส่วนห้องสมุดและการเรียนรู้ กรุงเทพมหานคร"
SIGNATURE_EN = "Library and Learning Division, Bangkok Metropolitan Administration"

DEFAULT_TEMPLATES = {
    "received": (
        "ได้รับเรื่องของท่านแล้ว รหัสติดตาม {{ code }}",
        "เรียน คุณ{{ name }}\n\nเราได้รับเรื่อง “{{ title }}” แล้ว รหัสติดตามเรื่อง {{ code }}\n"
        "จะตอบกลับภายใน {{ due }}\nติดตามสถานะได้ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "We received your case {{ code }}",
        "Dear {{ name }},\n\nWe received “{{ title }}”. Tracking code {{ code }}.\nWe will reply by {{ due }}.\n"
        "Follow it at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "answered": (
        "เรื่อง {{ code }} ดำเนินการเสร็จแล้ว",
        "เรียน คุณ{{ name }}\n\nเรื่อง “{{ title }}” ดำเนินการเสร็จแล้ว\n{{ answer }}\n\nดูรายละเอียดที่ {{ url }}\n\n"
        + SIGNATURE_TH,
        "Your case {{ code }} is done",
        "Dear {{ name }},\n\n“{{ title }}” is done.\n{{ answer }}\n\nDetails: {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "closed": (
        "ปิดเรื่อง {{ code }} แล้ว โปรดประเมินความพึงพอใจ",
        "เรียน คุณ{{ name }}\n\nเรื่อง “{{ title }}” ปิดแล้ว โปรดให้คะแนนความพึงพอใจ 1–5 ที่ {{ url }}\n\n" + SIGNATURE_TH,
        "Case {{ code }} closed: please rate our service",
        "Dear {{ name }},\n\n“{{ title }}” is closed. Please rate our service (1–5) at {{ url }}\n\n" + SIGNATURE_EN,
    ),
    "reminder": (
        "ใกล้ครบกำหนด: {{ code }} {{ title }}",
        "เรื่อง {{ code }} “{{ title }}” ({{ branch }}) ครบกำหนด{{ clock }} {{ due }}\n{{ url }}",
        "Due soon: {{ code }} {{ title }}",
        "Case {{ code }} “{{ title }}” ({{ branch }}): {{ clock }} due {{ due }}\n{{ url }}",
    ),
    "escalation": (
        "เกินกำหนด: {{ code }} {{ title }}",
        "เรื่อง {{ code }} “{{ title }}” ({{ branch }}) เกินกำหนด{{ clock }} ซึ่งครบ {{ due }} "
        "โปรดติดตามในฐานะหัวหน้าหน่วยงาน\n{{ url }}",
        "Overdue: {{ code }} {{ title }}",
        "Case {{ code }} “{{ title }}” ({{ branch }}) missed its {{ clock }} deadline ({{ due }}). "
        "Please follow it up as head of the unit.\n{{ url }}",
    ),
}


def template_code(kind: str) -> str:
    return f"cases.{kind}"


def ensure_templates() -> None:
    for kind, (subject_th, body_th, subject_en, body_en) in DEFAULT_TEMPLATES.items():
        notifications.ensure_template(template_code(kind), subject_th=subject_th, body_th=body_th,
                                      subject_en=subject_en, body_en=body_en,
                                      description=f"cases: {kind}")


def _site() -> str:
    return settings.BKKLIB["SITE_URL"].rstrip("/")


def send_case_notice(case_id: int, kind: str) -> list:
    """Tell the requester of ``case_id`` that it was received, answered or closed."""
    case = Case.objects.select_related("branch").filter(pk=case_id).first()
    if case is None or not (case.requester_email or case.requester_phone):
        return []
    ensure_templates()
    recipient = notifications.Recipient(name=case.requester_name, email=case.requester_email,
                                        phone=case.requester_phone)
    channels = tuple(c for c, a in (("email", case.requester_email), ("sms", case.requester_phone)) if a)
    context = {"name": case.requester_name or "ผู้แจ้ง", "title": case.title, "code": case.code,
               "answer": case.answer, "due": thai_datetime(case.response_due_at),
               "url": f"{_site()}/contact/track/{case.code}/"}
    return notifications.notify(recipient, template_code(kind), context, channels=channels[:1],
                                about=f"cases.case:{case.pk}")


def alert_recipients(case: Case, *, escalate: bool) -> list[notifications.Recipient]:
    """Who hears of a deadline: the handler (reminder) and, at breach, the heads of the responsible units."""
    users = []
    if case.assignee_id:
        users.append(case.assignee)
    if escalate or not users:
        heads = Position.objects.filter(unit__in=case.units.all(), is_head=True, holder__user__isnull=False)
        user_ids = heads.values_list("holder__user", flat=True)
        users.extend(get_user_model().objects.filter(pk__in=user_ids))
    seen, recipients = set(), []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        recipients.append(notifications.Recipient(name=user.get_full_name() or user.username, email=user.email))
    return recipients


def send_alert(alert_id: int) -> list:
    alert = Alert.objects.select_related("case", "case__branch").filter(pk=alert_id).first()
    if alert is None:
        return []
    ensure_templates()
    case = alert.case
    context = {"code": case.code, "title": case.title, "branch": case.branch.name_th if case.branch else "—",
               "clock": str(Alert.Clock(alert.clock).label), "due": thai_datetime(alert.due_at),
               "url": f"{_site()}/staff/cases/{case.pk}/"}
    attempts = []
    for recipient in alert_recipients(case, escalate=alert.kind == Alert.Kind.ESCALATION):
        if recipient.email:
            attempts += notifications.notify(recipient, template_code(alert.kind), context,
                                             about=f"cases.case:{case.pk}")
    return attempts
