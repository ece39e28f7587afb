"""Messages to readers: "your e-book hold is ready" (through core.notifications, editable templates)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.calendar import thai_datetime
from bkklib.core.notifications import Recipient, ensure_template, notify

HOLD_READY = "elibrary.hold_ready"


def ensure_templates() -> None:
    ensure_template(
        HOLD_READY,
        description=str(_("e-Library: an e-book hold is ready to borrow")),
        subject_th="ถึงคิวของคุณแล้ว: {{ title }}",
        body_th="e-book “{{ title }}” ที่คุณจองไว้ว่างแล้ว ยืมได้ถึง {{ until }} ที่ {{ url }}\n"
                "หากไม่ยืมภายในเวลานี้ สิทธิ์จะส่งต่อให้ผู้จองคนถัดไป",
        subject_en="Your e-book hold is ready: {{ title }}",
        body_en="The e-book “{{ title }}” you reserved is free. Borrow it by {{ until }} at {{ url }}.\n"
                "After that it passes to the next reader in line.",
    )


def channels_of(patron) -> tuple[str, ...]:
    wanted = [c for c in (patron.notice_channels or []) if c in ("email", "line", "sms")]
    available = {"email": patron.email, "line": patron.line_user_id, "sms": patron.phone}
    chosen = [c for c in wanted if available[c]] or [c for c in ("email", "sms", "line") if available[c]][:1]
    return tuple(chosen)


def send_hold_ready(hold) -> list:
    """Tell the reader of ``hold`` that a copy is kept for them until its deadline."""
    from django.conf import settings

    patron = hold.patron
    if patron is None or not (channels := channels_of(patron)):
        return []
    ensure_templates()
    recipient = Recipient(name=patron.full_name, email=patron.email, phone=patron.phone,
                          line_user_id=patron.line_user_id, language=patron.language or "th")
    url = f"{settings.BKKLIB['SITE_URL']}/elibrary/titles/{hold.title_id}/"
    return notify(recipient, HOLD_READY, {"title": hold.title.title, "until": thai_datetime(hold.expires_at), "url": url},
                  channels=channels, about=f"circulation.patron:{patron.pk}")
