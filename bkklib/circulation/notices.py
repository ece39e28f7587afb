"""Notices to patrons through core's notification service: due soon, overdue, holds, card expiry.

Each notice is sent once per occasion (``Notice`` is unique per kind and occasion) and its
delivery is logged (``Notice.status`` and core's ``NotificationAttempt`` per channel). The texts
are core ``MessageTemplate`` rows (``circulation.<kind>``) that network admins edit; the Thai
and English defaults below are created when missing.
"""
from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bkklib.core import notifications
from bkklib.core.calendar import thai_date

from .models import CirculationSettings, Consent, Hold, Loan, Notice, Patron

SIGNATURE_TH = "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร"
SIGNATURE_EN = "Bangkok Metropolitan Administration libraries"

DEFAULT_TEMPLATES = {
    Notice.Kind.PRE_DUE: (
        "ใกล้ถึงกำหนดคืน: {{ title }}",
        "เรียน คุณ{{ name }}\n\n“{{ title }}” (บาร์โค้ด {{ barcode }}) ครบกำหนดคืนวันที่ {{ due }}\n"
        "ต่ออายุการยืมได้ที่เว็บไซต์ห้องสมุดหรือที่เคาน์เตอร์ทุกสาขา คืนได้ที่ห้องสมุดทุกแห่งของ กทม.\n\n" + SIGNATURE_TH,
        "Due soon: {{ title }}",
        "Dear {{ name }},\n\n“{{ title }}” (barcode {{ barcode }}) is due on {{ due }}.\n"
        "You can renew it on the library website or at any desk, and return it at any BMA library.\n\n" + SIGNATURE_EN,
    ),
    Notice.Kind.OVERDUE_1: (
        "เกินกำหนดคืน: {{ title }}",
        "เรียน คุณ{{ name }}\n\n“{{ title }}” (บาร์โค้ด {{ barcode }}) เกินกำหนดคืนตั้งแต่วันที่ {{ due }}\n"
        "ค่าปรับวันละ {{ fine_per_day }} บาท (เฉพาะวันที่ห้องสมุดเปิด สูงสุด {{ max_fine }} บาท) "
        "โปรดนำมาคืนที่ห้องสมุดแห่งใดก็ได้\n\n" + SIGNATURE_TH,
        "Overdue: {{ title }}",
        "Dear {{ name }},\n\n“{{ title }}” (barcode {{ barcode }}) was due on {{ due }}.\n"
        "The fine is {{ fine_per_day }} baht per open day (at most {{ max_fine }} baht). Please return it to any "
        "BMA library.\n\n" + SIGNATURE_EN,
    ),
    Notice.Kind.OVERDUE_2: (
        "แจ้งเตือนครั้งที่ 2 เกินกำหนดคืน: {{ title }}",
        "เรียน คุณ{{ name }}\n\nนี่เป็นการแจ้งเตือนครั้งที่ 2: “{{ title }}” (บาร์โค้ด {{ barcode }}) "
        "เกินกำหนดคืนตั้งแต่วันที่ {{ due }} ค่าปรับถึงวันนี้ {{ fine }} บาท\n\n" + SIGNATURE_TH,
        "Second reminder, overdue: {{ title }}",
        "Dear {{ name }},\n\nSecond reminder: “{{ title }}” (barcode {{ barcode }}) was due on {{ due }}. "
        "The fine so far is {{ fine }} baht.\n\n" + SIGNATURE_EN,
    ),
    Notice.Kind.OVERDUE_3: (
        "แจ้งเตือนครั้งสุดท้าย เกินกำหนดคืน: {{ title }}",
        "เรียน คุณ{{ name }}\n\nแจ้งเตือนครั้งสุดท้าย: “{{ title }}” (บาร์โค้ด {{ barcode }}) เกินกำหนดคืนตั้งแต่วันที่ "
        "{{ due }} ค่าปรับถึงวันนี้ {{ fine }} บาท หากไม่นำมาคืน ห้องสมุดอาจเรียกเก็บค่าหนังสือทดแทน\n\n" + SIGNATURE_TH,
        "Final reminder, overdue: {{ title }}",
        "Dear {{ name }},\n\nFinal reminder: “{{ title }}” (barcode {{ barcode }}) was due on {{ due }}. The fine so "
        "far is {{ fine }} baht. If it is not returned the library may charge its replacement.\n\n" + SIGNATURE_EN,
    ),
    Notice.Kind.HOLD_READY: (
        "หนังสือที่จองพร้อมให้รับแล้ว: {{ title }}",
        "เรียน คุณ{{ name }}\n\n“{{ title }}” ที่คุณจองไว้ พร้อมให้รับที่ {{ branch }} ถึงวันที่ {{ expires }}\n"
        "โปรดนำบัตรสมาชิกมาด้วย\n\n" + SIGNATURE_TH,
        "Your hold is ready: {{ title }}",
        "Dear {{ name }},\n\n“{{ title }}” is waiting for you at {{ branch }} until {{ expires }}. Please bring your "
        "library card.\n\n" + SIGNATURE_EN,
    ),
    Notice.Kind.HOLD_EXPIRING: (
        "หนังสือที่จองใกล้หมดเวลารับ: {{ title }}",
        "เรียน คุณ{{ name }}\n\n“{{ title }}” รอคุณอยู่ที่ {{ branch }} ถึงวันที่ {{ expires }} เท่านั้น "
        "หลังจากนั้นจะส่งต่อให้ผู้จองคนถัดไป\n\n" + SIGNATURE_TH,
        "Your hold expires soon: {{ title }}",
        "Dear {{ name }},\n\n“{{ title }}” waits for you at {{ branch }} until {{ expires }} only; then it goes to the "
        "next person in line.\n\n" + SIGNATURE_EN,
    ),
    Notice.Kind.CARD_EXPIRING: (
        "บัตรสมาชิกห้องสมุดใกล้หมดอายุ",
        "เรียน คุณ{{ name }}\n\nบัตรสมาชิกหมายเลข {{ card }} จะหมดอายุวันที่ {{ expires }} "
        "ต่ออายุได้ที่เคาน์เตอร์ห้องสมุดทุกแห่งของ กทม.\n\n" + SIGNATURE_TH,
        "Your library card expires soon",
        "Dear {{ name }},\n\nLibrary card {{ card }} expires on {{ expires }}. Renew it at any BMA library "
        "desk.\n\n" + SIGNATURE_EN,
    ),
}

# Service messages about a loan or hold are part of lending itself; reminders that only help
# (due soon, card expiring) need the patron's consent to "notices".
NEEDS_CONSENT = {Notice.Kind.PRE_DUE, Notice.Kind.CARD_EXPIRING}


def template_code(kind: str) -> str:
    return f"circulation.{kind}"


def ensure_templates() -> None:
    """Create the default Thai and English texts of every circulation notice an admin has not written."""
    for kind, (subject_th, body_th, subject_en, body_en) in DEFAULT_TEMPLATES.items():
        notifications.ensure_template(template_code(kind), subject_th=subject_th, body_th=body_th,
                                      subject_en=subject_en, body_en=body_en,
                                      description=f"circulation: {Notice.Kind(kind).label}")


def recipient_for(patron: Patron) -> notifications.Recipient:
    """Return where ``patron`` can be reached."""
    return notifications.Recipient(name=patron.full_name, email=patron.email, phone=patron.phone,
                                   line_user_id=patron.line_user_id, language=patron.language or "th")


def channels_for(patron: Patron) -> tuple[str, ...]:
    """Return the channels the patron chose (email when they chose none)."""
    return tuple(patron.notice_channels or ["email"])


def _consents_to_notices(patron: Patron) -> bool:
    latest = Consent.objects.filter(patron=patron).order_by("-given_at", "-pk").first()
    return bool(latest and Consent.Purpose.NOTICES in latest.purposes)


def send_notice(kind: str, occasion: str, patron: Patron, context: dict, *, loan: Loan | None = None,
                hold: Hold | None = None) -> Notice | None:
    """Send one notice unless it was already sent for this occasion; return the logged notice (None if not sent)."""
    if patron.status != Patron.Status.ACTIVE:
        return None
    if kind in NEEDS_CONSENT and not _consents_to_notices(patron):
        return None
    ensure_templates()
    # One transaction from claiming the occasion to recording the delivery: a worker killed while it
    # sends leaves no Notice row, so the next run sends it (at least once); a second run meanwhile
    # waits on the unique (kind, occasion) and then finds it sent (at most once). docs/admin/faults.md
    try:
        with transaction.atomic():
            notice = Notice.objects.create(kind=kind, occasion=occasion, patron=patron, loan=loan, hold=hold,
                                           status=Notice.Status.SKIPPED, channels=list(channels_for(patron)),
                                           sent_at=timezone.now())
            context = {"name": patron.full_name if patron.language == "th" else patron.full_name_en, **context}
            attempts = notifications.notify(recipient_for(patron), template_code(kind), context,
                                            channels=channels_for(patron), about=f"circulation.notice:{notice.pk}")
            statuses = {a.status for a in attempts}
            notice.status = (Notice.Status.SENT if "sent" in statuses
                             else Notice.Status.FAILED if "failed" in statuses else Notice.Status.SKIPPED)
            notice.detail = "; ".join(f"{a.channel}: {a.status}{' — ' + a.error if a.error else ''}" for a in attempts)
            notice.save(update_fields=["status", "detail"])
    except IntegrityError:
        return None  # already sent: a periodic task that runs twice must not send twice
    return notice


def _when(day: date, language: str) -> str:
    return thai_date(day, lang=language)


def _loan_context(loan: Loan, language: str, *, fine=None) -> dict:
    return {"title": loan.item.record.title, "barcode": loan.item.barcode, "due": _when(loan.due_on, language),
            "fine_per_day": f"{loan.fine_per_day:,.2f}", "max_fine": f"{loan.max_fine:,.2f}",
            "fine": f"{fine:,.2f}" if fine is not None else ""}


def send_pre_due_notices(today: date) -> int:
    """Remind patrons of loans due in ``pre_due_days``; return how many notices were sent."""
    days = CirculationSettings.current().pre_due_days
    loans = Loan.objects.open().filter(due_on=today + timedelta(days=days)).select_related(
        "patron", "item", "item__record")
    sent = 0
    for loan in loans:
        lang = loan.patron.language
        sent += bool(send_notice(Notice.Kind.PRE_DUE, f"loan:{loan.pk}:due:{loan.due_on}", loan.patron,
                                 _loan_context(loan, lang), loan=loan))
    return sent


def send_overdue_notices(today: date) -> int:
    """Send the 1st, 2nd and 3rd overdue notices that are due by ``today``; return how many were sent."""
    from . import queries, rules

    schedule = CirculationSettings.current().overdue_schedule
    kinds = (Notice.Kind.OVERDUE_1, Notice.Kind.OVERDUE_2, Notice.Kind.OVERDUE_3)
    sent = 0
    loans = (Loan.objects.overdue(on=today)
             .filter(due_on__lte=today - timedelta(days=schedule[0]), claims_returned_at__isnull=True)
             .select_related("patron", "item", "item__record", "branch"))
    for loan in loans:
        level = rules.overdue_notice_level(due_on=loan.due_on, today=today, schedule=schedule)
        if level == 0:
            continue
        kind = kinds[level - 1]  # only the latest level: a patron is not sent three letters on one day
        context = _loan_context(loan, loan.patron.language, fine=queries.accrued_fine(loan, today=today))
        sent += bool(send_notice(kind, f"loan:{loan.pk}:due:{loan.due_on}", loan.patron, context, loan=loan))
    return sent


def _hold_context(hold: Hold) -> dict:
    from .services.holds import pickup_place_of  # services send notices: imported when a notice is made

    lang = hold.patron.language
    branch = hold.pickup_branch.name_en if lang == "en" and hold.pickup_branch.name_en else hold.pickup_branch.name_th
    expires = hold.expires_on
    if (place := pickup_place_of(hold)) is not None:
        # Collected at a place outside the libraries (a mobile library stop): name the place, and the hold
        # waits there until the place's next visit when that is later than the unit's own shelf date.
        branch = place.label
        keep = place.provider.keep_until(hold) if hold.ready_at else None
        if keep is not None and (expires is None or keep > expires):
            expires = keep
    return {"title": hold.record.title, "branch": branch, "expires": _when(expires, lang) if expires else ""}


def send_hold_ready_notice(hold_id: int) -> Notice | None:
    """Tell the patron their hold waits on the shelf (sent once per hold)."""
    hold = Hold.objects.select_related("patron", "record", "pickup_branch").filter(pk=hold_id).first()
    if hold is None or hold.status != Hold.Status.READY:
        return None
    return send_notice(Notice.Kind.HOLD_READY, f"hold:{hold.pk}:ready:{hold.ready_at:%Y%m%d}", hold.patron,
                       _hold_context(hold), hold=hold)


def send_missing_hold_ready_notices() -> int:
    """Send the hold-ready notice of every hold on the shelf that has none yet; return how many were sent.

    The notice is normally sent by a task queued when the hold became ready; a consumer killed while
    it held that task lost it (docs/admin/faults.md), and the daily run catches up.
    """
    noticed = Notice.objects.filter(kind=Notice.Kind.HOLD_READY, hold__isnull=False).values("hold_id")
    holds = Hold.objects.filter(status=Hold.Status.READY).exclude(pk__in=noticed).values_list("pk", flat=True)
    return sum(bool(send_hold_ready_notice(pk)) for pk in holds)


def send_hold_expiring_notices(today: date) -> int:
    """Warn patrons whose hold leaves the shelf in ``hold_expiry_warning_days``; return how many were sent."""
    days = CirculationSettings.current().hold_expiry_warning_days
    holds = Hold.objects.filter(status=Hold.Status.READY, expires_on=today + timedelta(days=days)).select_related(
        "patron", "record", "pickup_branch")
    return sum(bool(send_notice(Notice.Kind.HOLD_EXPIRING, f"hold:{h.pk}:expires:{h.expires_on}", h.patron,
                                _hold_context(h), hold=h)) for h in holds)


def send_card_expiring_notices(today: date) -> int:
    """Warn patrons whose card expires in ``card_expiry_warning_days``; return how many were sent."""
    days = CirculationSettings.current().card_expiry_warning_days
    patrons = Patron.objects.filter(status=Patron.Status.ACTIVE, card_expires_on=today + timedelta(days=days))
    return sum(bool(send_notice(Notice.Kind.CARD_EXPIRING, f"patron:{p.pk}:expires:{p.card_expires_on}", p,
                                {"card": p.card_number, "expires": _when(p.card_expires_on, p.language)}))
               for p in patrons)


def send_daily_notices(today: date | None = None) -> dict:
    """Run every periodic notice for ``today``; return the counts sent by kind."""
    today = today or timezone.localdate()
    return {
        "pre_due": send_pre_due_notices(today),
        "overdue": send_overdue_notices(today),
        "hold_expiring": send_hold_expiring_notices(today),
        "card_expiring": send_card_expiring_notices(today),
        "hold_ready": send_missing_hold_ready_notices(),
    }
