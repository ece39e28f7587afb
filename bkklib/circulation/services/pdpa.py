"""PDPA verbs: export everything held about a patron, erase it, anonymise old loans, log staff access.

Erasure keeps the facts the library must keep (that loans, payments and changes happened, and
the statistics of date, branch, item type, category and age band) and removes who it was.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core import pdpa
from bkklib.core.models import AccessLog, NotificationAttempt

from .. import queries
from ..exceptions import ErasureRefused
from ..models import Consent, Fine, Hold, Loan, Notice, Patron, Receipt
from ..models.holds import ACTIVE_STATUSES
from .common import audit, moment


def log_access(user, patron: Patron, *, action: str = "view", path: str = "", purpose: str = "") -> AccessLog:
    """Record that staff ``user`` looked at (or exported, erased...) ``patron``'s personal data."""
    return pdpa.log_access(user, patron, action=action, path=path, purpose=purpose)


def _value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "quantize"):
        return str(value)
    return value


def _row(obj, names) -> dict:
    return {name: _value(getattr(obj, name)) for name in names}


def export_patron_data(patron: Patron, *, user=None) -> dict:
    """Return everything the library holds about ``patron`` as JSON-ready data (PDPA right of access).

    Includes the patron's details, consents, blocks, loans (with history kept), holds, fines,
    payments, notices sent, the audit history of the patron record and who looked at it.
    """
    if user is not None:
        log_access(user, patron, action="export")
    patron = Patron.objects.select_related("category", "home_branch", "district", "guardian").get(pk=patron.pk)
    details = _row(patron, ("card_number", "status", *Patron.PERSONAL_FIELDS, "id_type", "card_expires_on",
                            "language", "notice_channels", "keeps_loan_history", "registered_online", "created_at",
                            "approved_at"))
    details.update(category=patron.category.code, home_branch=patron.home_branch.code,
                   district=patron.district.code if patron.district else None,
                   guardian_card=patron.guardian.card_number if patron.guardian else None)
    history = []
    for h in patron.history.all().order_by("history_date"):
        history.append({
            "at": h.history_date.isoformat(), "type": {"+": "created", "~": "changed", "-": "deleted"}[h.history_type],
            "by": h.history_user.username if h.history_user else None, "reason": h.history_change_reason,
            "values": _row(h, ("card_number", "status", *Patron.PERSONAL_FIELDS)),
        })
    return {
        "exported_at": timezone.now().isoformat(),
        "controller": "กรุงเทพมหานคร — ส่วนห้องสมุดและการเรียนรู้ (Bangkok Metropolitan Administration, Library "
                      "and Learning Division)",
        "patron": details,
        "consents": [{"purposes": c.purposes, "channel": c.channel, "given_at": c.given_at.isoformat(),
                      "given_by_guardian": c.given_by_guardian.card_number if c.given_by_guardian else None}
                     for c in patron.consents.select_related("given_by_guardian")],
        "blocks": [_row(b, ("reason", "created_at", "lifted_at")) for b in patron.blocks.all()],
        "loans": [{**_row(loan, ("checked_out_at", "due_on", "renewals", "returned_at", "end_reason")),
                   "item": loan.item.barcode, "title": loan.item.record.title, "branch": loan.branch.code}
                  for loan in patron.loans.select_related("item", "item__record", "branch").order_by("checked_out_at")],
        "holds": [{**_row(h, ("status", "placed_at", "expires_on", "ended_at")), "title": h.record.title,
                   "pickup_branch": h.pickup_branch.code}
                  for h in patron.holds.select_related("record", "pickup_branch").order_by("placed_at")],
        "fines": [_row(f, ("kind", "description", "amount", "paid", "waived", "created_at", "settled_at"))
                  for f in patron.fines.order_by("created_at")],
        "receipts": [{"number": r.label, **_row(r, ("issued_at", "total", "method"))}
                     for r in patron.receipts.order_by("issued_at")],
        "notices": [_row(n, ("kind", "status", "channels", "sent_at")) for n in patron.notices.order_by("sent_at")],
        "history": history,
        "accesses": [{"at": a.at.isoformat(), "by": a.user.username if a.user else None, "action": a.action,
                      "purpose": a.purpose}
                     for a in AccessLog.objects.filter(subject=pdpa.subject_of(patron)).select_related("user")],
        # What the services built on the patron account keep (e-loans, bookings, registrations).
        "services": pdpa.export_contributions("patron", patron),
    }


def _blank(field_name: str):
    return None if field_name == "birth_date" else ""


@transaction.atomic
def erase_patron(patron: Patron, *, staff=None, now: datetime | None = None) -> Patron:
    """Erase a patron's personal data, also from the audit history, keeping that things happened.

    Refused (ErasureRefused) while the patron has items on loan, owes money, or is the guardian of
    an active member. Active holds are cancelled. The patron row stays as an anonymous tombstone
    (receipts and statistics point to it); its card number stops working.
    """
    from .holds import cancel_hold

    now, _today = moment(now)
    if staff is not None and not staff.has_perm("circulation.erase_patron"):
        from bkklib.core.exceptions import NotPermitted

        raise NotPermitted()
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    name = patron.full_name or patron.card_number
    if patron.status == Patron.Status.ERASED:
        raise ErasureRefused(patron=name, reason=_("it was already erased."))
    open_loans = Loan.objects.open().filter(patron=patron).count()
    if open_loans:
        raise ErasureRefused(patron=name, reason=_("{count} item(s) are still on loan.").format(count=open_loans))
    owed = queries.fines_due(patron)
    if owed > 0:
        raise ErasureRefused(patron=name, reason=_("{amount} baht is still owed.").format(amount=f"{owed:,.2f}"))
    if patron.wards.exclude(status=Patron.Status.ERASED).exists():
        raise ErasureRefused(patron=name, reason=_("they are the guardian of a member: change the guardian first."))
    for hold in Hold.objects.filter(patron=patron, status__in=ACTIVE_STATUSES):
        cancel_hold(hold, reason=_("patron data erased"), now=now)
    pdpa.erase_contributions("patron", patron, now=now)  # e-loans, bookings, registrations; may refuse
    if staff is not None:
        log_access(staff, patron, action="erase")
    pk = patron.pk
    loan_ids = list(Loan.objects.filter(patron=patron).values_list("pk", flat=True))
    Loan.objects.filter(pk__in=loan_ids).update(patron=None, anonymised_at=now)
    Loan.history.filter(id__in=loan_ids).update(patron=None)
    scrub = {name: _blank(name) for name in Patron.PERSONAL_FIELDS}
    tombstone = f"erased-{pk}"
    # The audit trail keeps every change's date, type and author, not whose data it was.
    Patron.history.filter(id=pk).update(card_number=tombstone, guardian=None, district=None, **scrub)
    Receipt.history.filter(patron_id=pk).update(payer_name="")
    Receipt.objects.filter(patron_id=pk).update(payer_name="")
    notice_ids = list(Notice.objects.filter(patron=patron).values_list("pk", flat=True))
    NotificationAttempt.objects.filter(about__in=[f"circulation.notice:{n}" for n in notice_ids]).update(
        recipient="", subject="", body="")
    Notice.objects.filter(pk__in=notice_ids).delete()
    Consent.objects.filter(given_by_guardian=patron).update(given_by_guardian=None)
    for name, value in scrub.items():
        setattr(patron, name, value)
    patron.card_number, patron.status, patron.guardian, patron.district = tombstone, Patron.Status.ERASED, None, None
    patron.pin_hash, patron.notice_channels, patron.keeps_loan_history = "", [], False
    audit(patron, staff, "erased (PDPA)")
    patron.save()
    # The save above wrote one more history row; it holds only the tombstone.
    return patron


def anonymise_loans(*, now: datetime | None = None, after_days: int | None = None) -> int:
    """Remove the patron from loans returned more than N days ago, unless the patron keeps history; return count.

    N is ``settings.BKKLIB["ANONYMISE_AFTER_DAYS"]`` (default 30). The loan keeps its statistical
    facts (dates, branch, item type, patron category, age band); its audit rows lose the patron too.
    """
    now = now or timezone.now()
    days = after_days if after_days is not None else settings.BKKLIB.get("ANONYMISE_AFTER_DAYS", 30)
    cutoff = now - timedelta(days=days)
    total = 0
    while True:
        ids = list(Loan.objects.filter(patron__isnull=False, returned_at__lt=cutoff)
                   .filter(Q(patron__keeps_loan_history=False) | Q(patron__status=Patron.Status.ERASED))
                   .values_list("pk", flat=True)[:2000])
        if not ids:
            return total
        with transaction.atomic():
            Loan.objects.filter(pk__in=ids).update(patron=None, anonymised_at=now)
            Loan.history.filter(id__in=ids).update(patron=None)
            # Fines keep the patron (money owed or paid is theirs) but lose the link to which title it was.
            Fine.objects.filter(loan_id__in=ids, settled_at__isnull=False).update(item=None, loan=None)
        total += len(ids)
