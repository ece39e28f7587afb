"""Background work of the network app (huey): remind responsible staff of stale branch data.

The periodic task runs daily; everyone responsible for at least one stale branch (see
``queries.verifiers_of``) gets one message listing their branches, through core's
notification service (every attempt is logged there).
"""
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bkklib.core import notifications

from . import queries
from .exceptions import STALENESS_LABELS

REMINDER_TEMPLATE = "network.stale_reminder"


def ensure_reminder_template():
    """Create the Thai (and English) text of the reminder unless an admin already edited it."""
    return notifications.ensure_template(
        REMINDER_TEMPLATE,
        subject_th="ข้อมูลพื้นฐานห้องสมุด {{ count }} แห่งต้องตรวจสอบ",
        body_th=(
            "เรียน {{ name }}\n\n"
            "ข้อมูลพื้นฐานของห้องสมุดที่ท่านรับผิดชอบต่อไปนี้ยังไม่ได้ยืนยันว่าถูกต้อง "
            "(ต้องยืนยันอย่างน้อยทุก {{ days }} วัน หรือเมื่อมีการแก้ไข):\n"
            "{% for b in branches %}- {{ b.name }} ({{ b.reason }}) {{ b.url }}\n{% endfor %}\n"
            "กรุณาตรวจสอบเวลาเปิดปิด บริการ และช่องทางติดต่อ แล้วกด \"ยืนยันว่าถูกต้อง ณ วันนี้\" "
            "ที่หน้าความเป็นปัจจุบันของข้อมูล: {{ freshness_url }}"
        ),
        subject_en="{{ count }} libraries' basic data need checking",
        body_en=(
            "Dear {{ name }},\n\n"
            "The basic data of these libraries you are responsible for has not been confirmed "
            "(it must be confirmed at least every {{ days }} days, and after each edit):\n"
            "{% for b in branches %}- {{ b.name }} ({{ b.reason }}) {{ b.url }}\n{% endfor %}\n"
            "Please check the hours, services and contacts, then press \"Confirm correct as of today\" "
            "on the data freshness page: {{ freshness_url }}"
        ),
        description="Daily reminder to the staff responsible for branches whose basic data is stale.",
    )


def send_stale_reminders(today=None) -> int:
    """Send one reminder to each person responsible for stale branches; return how many were sent."""
    ensure_reminder_template()
    today = today or timezone.localdate()
    stale = list(queries.stale_branches(today=today).order_by("name_th"))
    if not stale:
        return 0
    responsible = queries.verifiers_of(stale, today=today)
    by_person: dict = {}
    for branch in stale:
        for member in responsible.get(branch.pk, []):
            by_person.setdefault(member, []).append(branch)
    site = settings.BKKLIB["SITE_URL"].rstrip("/")
    sent = 0
    for member, branches in sorted(by_person.items(), key=lambda item: item[0].employee_code):
        email = member.work_email or (member.user.email if member.user else "")
        user = member.user
        recipient = notifications.Recipient(
            name=str(member), email=email, phone=member.work_phone or (user.phone if user else ""),
            line_user_id=user.line_user_id if user else "", language=user.preferred_language if user else "th")
        with translation.override(recipient.language):
            context = {
                "name": str(member), "count": len(branches), "days": queries.stale_after_days(),
                "freshness_url": site + reverse("network:freshness"),
                "branches": [
                    {"name": b.name_th, "reason": str(STALENESS_LABELS[queries.staleness_of(b, today)]),
                     "url": site + reverse("network:branch-detail", args=[b.code])}
                    for b in branches
                ],
            }
        # LINE too for those who linked their account: it is where Thai staff read messages first.
        channels = ("email", "line") if recipient.line_user_id else ("email",)
        notifications.notify(recipient, REMINDER_TEMPLATE, context, channels=channels,
                             about=f"network.staffmember:{member.pk}")
        sent += 1
    return sent


# 01:00 UTC is 08:00 in Bangkok: the reminder is waiting when the working day starts.
@db_periodic_task(crontab(hour="1", minute="0"))
def remind_stale_branches() -> int:
    """Daily: remind responsible staff of the branches whose basic data is stale."""
    return send_stale_reminders()


@db_task()
def remind_stale_branches_now() -> int:
    """Send the stale-data reminders now (the freshness page's "send reminders" button)."""
    return send_stale_reminders()



