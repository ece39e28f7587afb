"""Loans (one item lent to one patron) and transits (an item travelling between branches)."""
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LoanQuerySet(models.QuerySet):
    """The recurring loan filters, written once."""

    def open(self) -> "LoanQuerySet":
        """Loans not yet returned (nor ended as lost)."""
        return self.filter(returned_at__isnull=True)

    def ended(self) -> "LoanQuerySet":
        """Loans that have come back or were declared lost."""
        return self.filter(returned_at__isnull=False)

    def overdue(self, *, on: date) -> "LoanQuerySet":
        """Open loans overdue on ``on``: due on an earlier day (``rules.is_overdue`` says the same for one loan)."""
        return self.open().filter(due_on__lt=on)


class Loan(models.Model):
    """One item lent to one patron, from checkout until it comes back (or is declared lost).

    The statistical facts (date, branch, item type, patron category, age band) are stored on the
    loan itself, so that the patron link can be removed after return (PDPA) without losing them.
    """

    class EndReason(models.TextChoices):
        RETURNED = "returned", _("returned")
        LOST = "lost", _("declared lost")

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="loans", verbose_name=_("item"))
    patron = models.ForeignKey("circulation.Patron", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="loans", verbose_name=_("patron"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="loans",
                               verbose_name=_("lent at"))
    checked_out_at = models.DateTimeField(_("checked out at"))
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("checked out by"))
    due_on = models.DateField(_("due on"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    last_renewed_at = models.DateTimeField(_("last renewed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    end_reason = models.CharField(_("ended as"), max_length=10, choices=EndReason.choices, blank=True)
    returned_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("returned at branch"))
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("checked in by"))
    claims_returned_at = models.DateTimeField(_("patron claims returned at"), null=True, blank=True)
    # Terms agreed at checkout: a later policy change does not alter the fine of a running loan.
    fine_per_day = models.DecimalField(_("fine per open day"), max_digits=7, decimal_places=2, default=0)
    max_fine = models.DecimalField(_("maximum fine"), max_digits=8, decimal_places=2, default=0)
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=0)
    # Statistical facts kept after anonymisation.
    item_type = models.ForeignKey("catalog.ItemType", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("item type"))
    patron_category = models.ForeignKey("circulation.PatronCategory", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("patron category"))
    age_band = models.CharField(_("age band"), max_length=8, default="unknown")
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-checked_out_at"]
        indexes = [
            models.Index(fields=["patron", "due_on"], condition=Q(returned_at__isnull=True), name="circ_loan_open_patron"),
            models.Index(fields=["due_on"], condition=Q(returned_at__isnull=True), name="circ_loan_open_due"),
            models.Index(fields=["returned_at"], condition=Q(patron__isnull=False, returned_at__isnull=False),
                         name="circ_loan_to_anonymise"),
            models.Index(fields=["patron", "-checked_out_at"], name="circ_loan_patron_history"),
            # The day's loans and returns (reports' nightly pass, statistics by period): a range of one day.
            models.Index(fields=["checked_out_at"], name="circ_loan_checked_out"),
            models.Index(fields=["returned_at"], condition=Q(returned_at__isnull=False), name="circ_loan_returned"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(returned_at__isnull=True), name="circulation_loan_one_open_per_item",
                violation_error_message=_("This item is already on loan."),
            ),
            # Only a finished loan may lose its patron (anonymisation after return).
            models.CheckConstraint(condition=Q(returned_at__isnull=False) | Q(patron__isnull=False),
                                   name="circulation_loan_open_has_patron"),
            models.CheckConstraint(condition=Q(returned_at__isnull=True) | ~Q(end_reason=""),
                                   name="circulation_loan_ended_has_reason"),
        ]

    def __str__(self):
        return f"{self.item_id} → {self.patron_id} ({self.due_on})"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class Transit(models.Model):
    """An item sent from one branch to another (home after a return elsewhere, or to a hold's pickup)."""

    class Reason(models.TextChoices):
        RETURN_HOME = "return_home", _("going home")
        HOLD = "hold", _("for a hold")
        TRANSFER = "transfer", _("transfer")

    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="transits")
    from_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("from"))
    to_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    hold = models.ForeignKey("circulation.Hold", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transit")
        verbose_name_plural = _("transits")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["to_branch"], condition=Q(received_at__isnull=True), name="circ_transit_open")]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(received_at__isnull=True),
                                    name="circulation_transit_one_open_per_item"),
            models.CheckConstraint(condition=~Q(from_branch=models.F("to_branch")),
                                   name="circulation_transit_between_branches"),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.from_branch_id} → {self.to_branch_id}"
