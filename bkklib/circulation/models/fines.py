"""Fines and fees, payments with numbered receipts, and waivers."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Fine(models.Model):
    """A charge on a patron's account: an overdue fine or a fee; paid and waived in parts.

    The database keeps ``amount ≤ cap`` (overdue fines are capped per loan) and
    ``paid + waived ≤ amount``; an overdue fine exists once per loan and grows in place.
    """

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("overdue fine")
        LOST = "lost", _("lost item replacement")
        PROCESSING = "processing", _("processing fee")
        DAMAGED = "damaged", _("damaged item")
        CARD_REPLACEMENT = "card_replacement", _("replacement card")
        MEMBERSHIP = "membership", _("membership fee")

    patron = models.ForeignKey("circulation.Patron", on_delete=models.PROTECT, related_name="fines",
                               verbose_name=_("patron"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    loan = models.ForeignKey("circulation.Loan", on_delete=models.PROTECT, null=True, blank=True, related_name="fines")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("charged at"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (baht)"), max_digits=10, decimal_places=2)
    cap = models.DecimalField(_("cap (baht)"), max_digits=10, decimal_places=2, null=True, blank=True)
    paid = models.DecimalField(_("paid"), max_digits=10, decimal_places=2, default=Decimal("0"))
    waived = models.DecimalField(_("waived"), max_digits=10, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(_("charged at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fine or fee")
        verbose_name_plural = _("fines and fees")
        ordering = ["created_at", "pk"]
        permissions = [("waive_fine", _("Can waive fines and fees"))]
        indexes = [models.Index(fields=["patron", "created_at"], condition=Q(settled_at__isnull=True),
                                name="circ_fine_open_patron")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="circulation_fine_amount_not_negative"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(amount__lte=F("cap")),
                                   name="circulation_fine_within_cap",
                                   violation_error_message=_("A fine cannot exceed its cap.")),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(waived__gte=0),
                                   name="circulation_fine_payments_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=F("paid") + F("waived")),
                                   name="circulation_fine_not_overpaid",
                                   violation_error_message=_("More cannot be paid or waived than is due.")),
            models.UniqueConstraint(fields=["loan"], condition=Q(kind="overdue"),
                                    name="circulation_fine_one_overdue_per_loan"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.patron_id})"

    @property
    def balance(self) -> Decimal:
        return self.amount - self.paid - self.waived


class ReceiptCounter(models.Model):
    """The last receipt number used in a fiscal year; locked while a receipt takes the next one.

    Taking the number and writing the receipt happen in one transaction, so a rolled-back payment
    gives its number back: receipts of a fiscal year are numbered 1, 2, 3... without gaps.
    """

    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")

    def __str__(self):
        return f"{self.fiscal_year}: {self.last_number}"


class Receipt(models.Model):
    """A numbered receipt (ใบเสร็จรับเงิน) for one payment at a desk."""

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        QR = "qr", _("Thai QR / PromptPay")
        CARD = "card", _("card")

    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"))
    number = models.PositiveIntegerField(_("number"))
    patron = models.ForeignKey("circulation.Patron", on_delete=models.PROTECT, related_name="receipts")
    payer_name = models.CharField(_("received from"), max_length=200, blank=True)
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("desk"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, default=Method.CASH)
    total = models.DecimalField(_("total (baht)"), max_digits=10, decimal_places=2)
    # What the patron still owed once this payment was applied (null on receipts issued before it was kept).
    balance_after = models.DecimalField(_("still owed after this payment (baht)"), max_digits=10, decimal_places=2,
                                        null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["branch", "issued_at"], name="circ_receipt_desk_day")]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="circulation_receipt_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="circulation_receipt_number_positive"),
            models.CheckConstraint(condition=Q(total__gt=0), name="circulation_receipt_total_positive"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """Return the printed number, ``2568/000123``."""
        return f"{self.fiscal_year}/{self.number:06d}"


class PaymentAllocation(models.Model):
    """The part of a receipt that paid one charge."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="allocations")
    fine = models.ForeignKey(Fine, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="circulation_allocation_positive")]

    def __str__(self):
        return f"{self.receipt_id} → {self.fine_id}: {self.amount}"


class Waiver(models.Model):
    """An amount of a charge forgiven by staff with the permission to do so, and why."""

    fine = models.ForeignKey(Fine, on_delete=models.PROTECT, related_name="waivers")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+")
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    waived_at = models.DateTimeField(_("waived at"))

    class Meta:
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="circulation_waiver_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="circulation_waiver_has_reason"),
        ]

    def __str__(self):
        return f"{self.fine_id}: −{self.amount} ({self.reason})"


class CashUpSignOff(models.Model):
    """The end-of-day count of a desk's cash: counted against expected, signed once by a staff member.

    Expected cash is the total of the day's cash receipts at the branch when signing; the
    difference (counted − expected) is kept as signed, so a later receipt does not rewrite it.
    """

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("service point"))
    day = models.DateField(_("day"))
    expected_cash = models.DecimalField(_("expected cash (baht)"), max_digits=12, decimal_places=2)
    counted_cash = models.DecimalField(_("counted cash (baht)"), max_digits=12, decimal_places=2)
    difference = models.DecimalField(_("difference (baht)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cash-up sign-off")
        verbose_name_plural = _("cash-up sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["branch", "day"], name="circulation_cashupsignoff_once_per_day",
                                    violation_error_message=_("This day's cash-up is already signed.")),
            models.CheckConstraint(condition=Q(counted_cash__gte=0), name="circulation_cashupsignoff_counted_not_negative"),
            models.CheckConstraint(condition=Q(difference=F("counted_cash") - F("expected_cash")),
                                   name="circulation_cashupsignoff_difference_consistent"),
        ]

    def __str__(self):
        return f"{self.branch_id} {self.day}: {self.counted_cash} ({self.difference:+})"
