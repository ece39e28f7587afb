"""Money verbs: charge a fee, take a payment with a numbered receipt, waive with a reason."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bkklib.core import calendar
from bkklib.core.calendar import fiscal_year
from bkklib.network.models import Branch

from .. import queries, rules
from ..exceptions import CashUpRefused, PaymentRefused, WaiverRefused
from ..models import CashUpSignOff, Fine, Patron, PaymentAllocation, Receipt, ReceiptCounter, Waiver
from .common import audit, moment, require


def _amount(value, *, field: str, error) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise error(reason=_("“{value}” is not an amount of baht.").format(value=value), field=field) from None
    if amount <= 0:
        raise error(reason=_("the amount must be more than 0 baht."), field=field)
    return amount


@transaction.atomic
def charge(*, patron: Patron, kind: str, amount, staff, desk: Branch, description: str = "", item=None,
           now: datetime | None = None) -> Fine:
    """Charge a fee to a patron's account (damaged item, replacement card...)."""
    now, today = moment(now)
    require(staff, "circulation.add_fine", desk, on=today)
    if kind not in Fine.Kind.values or kind == Fine.Kind.OVERDUE:
        raise PaymentRefused(reason=_("“{kind}” is not a fee that can be charged by hand.").format(kind=kind),
                             field="kind")
    fine = Fine(patron=patron, kind=kind, amount=_amount(amount, field="amount", error=PaymentRefused), branch=desk,
                item=item, description=description[:200], created_at=now, created_by=staff)
    audit(fine, staff)
    fine.save()
    return fine


def _next_receipt_number(fy: int) -> int:
    """Take the next number of fiscal year ``fy`` under a row lock (given back if the transaction rolls back)."""
    try:
        with transaction.atomic():
            ReceiptCounter.objects.get_or_create(fiscal_year=fy)
    except IntegrityError:  # another desk created the year's counter at the same moment
        pass
    counter = ReceiptCounter.objects.select_for_update().get(fiscal_year=fy)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def pay(*, patron: Patron, amount, staff, desk: Branch, method: str = Receipt.Method.CASH,
        fines: list[Fine] | None = None, now: datetime | None = None) -> Receipt:
    """Take a payment from ``patron`` and return its numbered receipt.

    The amount pays the chosen charges (all open ones by default) oldest first; a part payment
    leaves the rest open; the receipt keeps what the patron still owes afterwards (``balance_after``).
    Refused when the amount is not positive or is more than is due.
    Receipts are numbered per fiscal year without gaps (``ReceiptCounter``).
    """
    now, today = moment(now)
    require(staff, "circulation.add_receipt", desk, on=today)
    amount = _amount(amount, field="amount", error=PaymentRefused)
    if method not in Receipt.Method.values:
        raise PaymentRefused(reason=_("unknown payment method {m}.").format(m=method), field="method")
    qs = Fine.objects.select_for_update().filter(patron=patron, settled_at__isnull=True).order_by("created_at", "pk")
    if fines is not None:
        qs = qs.filter(pk__in=[f.pk for f in fines])
    open_fines = list(qs)
    balances = [(f.pk, f.balance) for f in open_fines if f.balance > 0]
    due = sum((b for _pk, b in balances), Decimal("0"))
    if due <= 0:
        raise PaymentRefused(reason=_("{patron} owes nothing.").format(patron=patron.full_name), field="amount")
    try:
        parts = rules.allocate_payment(amount, balances)
    except ValueError:
        raise PaymentRefused(reason=_("{amount} baht is more than the {due} baht due: give change.").format(
            amount=f"{amount:,.2f}", due=f"{due:,.2f}"), field="amount") from None
    fy = fiscal_year(today)
    receipt = Receipt(fiscal_year=fy, number=_next_receipt_number(fy), patron=patron, payer_name=patron.full_name,
                      branch=desk, received_by=staff, issued_at=now, method=method, total=amount)
    audit(receipt, staff)
    receipt.save()
    by_pk = {f.pk: f for f in open_fines}
    for fine_pk, part in parts:
        fine = by_pk[fine_pk]
        PaymentAllocation.objects.create(receipt=receipt, fine=fine, amount=part)
        fine.paid += part
        if fine.balance <= 0:
            fine.settled_at = now
        audit(fine, staff, _("paid, receipt {label}").format(label=receipt.label))
        fine.save()
    # The receipt tells the patron what is still owed, as it stood right after this payment.
    receipt.balance_after = queries.fines_due(patron)
    receipt.save(update_fields=["balance_after"])
    return receipt


@transaction.atomic
def waive(*, fine: Fine, amount, reason: str, staff, desk: Branch, now: datetime | None = None) -> Waiver:
    """Forgive ``amount`` of a charge, with a reason; needs the ``waive_fine`` permission at the desk."""
    now, today = moment(now)
    require(staff, "circulation.waive_fine", desk, on=today)
    if not reason.strip():
        raise WaiverRefused(reason=_("give the reason for the waiver."), field="reason")
    fine = Fine.objects.select_for_update().get(pk=fine.pk)
    amount = _amount(amount, field="amount", error=WaiverRefused)
    if amount > fine.balance:
        raise WaiverRefused(reason=_("only {balance} baht of this charge is still due.").format(
            balance=f"{fine.balance:,.2f}"), field="amount")
    waiver = Waiver.objects.create(fine=fine, amount=amount, reason=reason.strip()[:200], branch=desk, waived_by=staff,
                                   waived_at=now)
    fine.waived += amount
    if fine.balance <= 0:
        fine.settled_at = now
    audit(fine, staff, _("waived: {reason}").format(reason=reason.strip()))
    fine.save()
    return waiver


@transaction.atomic
def sign_off_cash_up(*, branch: Branch, day: date, counted_cash, staff, note: str = "",
                     now: datetime | None = None) -> CashUpSignOff:
    """Record the cash counted at ``branch``'s desk at the end of ``day`` and sign the cash-up, once.

    The expected cash is the day's cash receipts at the branch; the difference is counted −
    expected (negative: cash missing). Refused (CashUpRefused) when the day is already signed,
    is in the future, or the count is not an amount; needs ``add_cashupsignoff`` at the branch.
    """
    now, today = moment(now)
    require(staff, "circulation.add_cashupsignoff", branch, on=today)
    if day > today:
        raise CashUpRefused(reason=_("the day {day} has not ended yet.").format(day=thai_date(day)), field="day")
    try:
        counted = Decimal(str(counted_cash)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise CashUpRefused(reason=_("“{value}” is not an amount of baht.").format(value=counted_cash),
                            field="counted_cash") from None
    if counted < 0:
        raise CashUpRefused(reason=_("the counted cash cannot be negative."), field="counted_cash")
    existing = CashUpSignOff.objects.filter(branch=branch, day=day).select_related("signed_by").first()
    if existing is not None:
        raise _already_signed(existing)
    expected = queries.cash_up(branch, day).cash_total
    sign_off = CashUpSignOff(branch=branch, day=day, expected_cash=expected, counted_cash=counted,
                             difference=counted - expected, note=note.strip()[:200], signed_by=staff, signed_at=now)
    audit(sign_off, staff, _("cash-up signed"))
    try:
        with transaction.atomic():
            sign_off.save()
    except IntegrityError:  # another desk signed the same day a moment earlier
        raise _already_signed(CashUpSignOff.objects.select_related("signed_by").get(branch=branch, day=day)) from None
    return sign_off


def thai_date(day) -> str:
    return calendar.thai_date(day, lang=translation.get_language() or "th")


def thai_datetime(moment_: datetime) -> str:
    return calendar.thai_datetime(moment_, lang=translation.get_language() or "th")


def _already_signed(existing: CashUpSignOff) -> CashUpRefused:
    who = existing.signed_by.get_full_name() or existing.signed_by.username
    return CashUpRefused(reason=_("the cash-up of {day} was already signed by {who} on {when}.").format(
        day=thai_date(existing.day), who=who, when=thai_datetime(existing.signed_at)), field="counted_cash",
        code="cash_up_already_signed")
