"""The loan policy matrix: branch × patron category × item type, most specific row wins."""
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from .. import rules


class LoanPolicy(TimeStampedModel):
    """Loan terms for a branch, a patron category and an item type; an empty key means "any".

    The row with all three keys empty is the network default (created by a data migration). The
    matching row with the highest specificity applies (branch 4, category 2, item type 1; see
    ``rules.choose_policy``). Changes are audited.
    """

    branch = models.ForeignKey("network.Branch", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="loan_policies", verbose_name=_("branch"),
                               help_text=_("Empty: every branch."))
    category = models.ForeignKey("circulation.PatronCategory", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="loan_policies", verbose_name=_("patron category"),
                                 help_text=_("Empty: every category."))
    item_type = models.ForeignKey("catalog.ItemType", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="loan_policies", verbose_name=_("item type"),
                                  help_text=_("Empty: every item type."))
    loan_days = models.PositiveSmallIntegerField(_("loan period (days)"), default=14,
                                                 help_text=_("0: not for loan (library use only)."))
    max_loans = models.PositiveSmallIntegerField(_("max loans overall"), default=10)
    max_loans_of_type = models.PositiveSmallIntegerField(_("max loans of this item type"), null=True, blank=True)
    renewals_allowed = models.PositiveSmallIntegerField(_("renewals allowed"), default=2)
    fine_per_day = models.DecimalField(_("fine per open day (baht)"), max_digits=7, decimal_places=2, default=5,
                                       validators=[MinValueValidator(0)])
    max_fine = models.DecimalField(_("maximum fine per loan (baht)"), max_digits=8, decimal_places=2, default=100,
                                   validators=[MinValueValidator(0)])
    grace_days = models.PositiveSmallIntegerField(_("grace (open days)"), default=0)
    holds_allowed = models.BooleanField(_("holds allowed"), default=True)
    max_holds = models.PositiveSmallIntegerField(_("max holds"), default=5)
    hold_shelf_days = models.PositiveSmallIntegerField(_("days on the hold shelf"), default=7,
                                                       validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("loan policy")
        verbose_name_plural = _("loan policies")
        ordering = ["branch", "category", "item_type"]
        constraints = [
            # One row per combination, "any" included: NULL keys are compared as 0.
            models.UniqueConstraint(
                Coalesce("branch", Value(0)), Coalesce("category", Value(0)), Coalesce("item_type", Value(0)),
                name="circulation_loanpolicy_one_per_key",
                violation_error_message=_("A policy for this branch, category and item type already exists."),
            ),
            models.CheckConstraint(condition=Q(fine_per_day__gte=0) & Q(max_fine__gte=0),
                                   name="circulation_loanpolicy_fines_not_negative"),
            models.CheckConstraint(condition=Q(hold_shelf_days__gte=1), name="circulation_loanpolicy_shelf_days"),
        ]

    def __str__(self):
        parts = [str(self.branch or _("any branch")), str(self.category or _("any category")),
                 str(self.item_type or _("any item type"))]
        return " × ".join(parts)

    @property
    def key(self) -> rules.PolicyKey:
        return rules.PolicyKey(self.branch_id, self.category_id, self.item_type_id)

    def as_rule(self) -> rules.Policy:
        """Return the pure-rule view of this row."""
        return rules.Policy(
            loan_days=self.loan_days, max_loans=self.max_loans, max_loans_of_type=self.max_loans_of_type,
            renewals_allowed=self.renewals_allowed, fine_per_day=self.fine_per_day, max_fine=self.max_fine,
            grace_days=self.grace_days, holds_allowed=self.holds_allowed, max_holds=self.max_holds,
            hold_shelf_days=self.hold_shelf_days,
        )
