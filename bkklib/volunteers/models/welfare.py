"""Benefits in force and the welfare given to volunteers."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from .volunteers import Volunteer


class Benefit(TimeStampedModel):
    """A benefit in force for volunteers (meal or travel allowance, insurance, training, certificate)."""

    class Kind(models.TextChoices):
        MEAL = "meal", _("meal allowance")
        TRAVEL = "travel", _("travel allowance")
        INSURANCE = "insurance", _("accident insurance")
        TRAINING = "training", _("training")
        CERTIFICATE = "certificate", _("certificate")
        OTHER = "other", _("other")

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("usual amount (baht)"), max_digits=9, decimal_places=2, null=True, blank=True)
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer benefit")
        verbose_name_plural = _("volunteer benefits")
        ordering = ["kind", "name_th"]
        constraints = [
            models.CheckConstraint(condition=Q(in_force_until__isnull=True) | Q(in_force_until__gte=F("in_force_from")),
                                   name="volunteers_benefit_dates",
                                   violation_error_message=_("A benefit cannot end before it starts.")),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="volunteers_benefit_amount",
                                   violation_error_message=_("An amount cannot be negative.")),
        ]

    def __str__(self):
        return self.name_th


class WelfareRecord(models.Model):
    """What a volunteer was given under a benefit, on a day."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="welfare",
                                  verbose_name=_("volunteer"))
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="records", verbose_name=_("benefit"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    given_on = models.DateField(_("given on"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=9, decimal_places=2, default=Decimal("0"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("welfare record")
        verbose_name_plural = _("welfare records")
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="volunteers_welfarerecord_amount",
                                   violation_error_message=_("An amount cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.benefit} {self.given_on}"
