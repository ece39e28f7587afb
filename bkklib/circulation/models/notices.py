"""Notices sent to patrons, and the network-wide circulation settings librarians tune."""
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CirculationSettings(models.Model):
    """The network's circulation settings (one row): notice schedule and standard fees. Audited."""

    pre_due_days = models.PositiveSmallIntegerField(_("pre-due notice (days before)"), default=2)
    overdue_1_days = models.PositiveSmallIntegerField(_("1st overdue notice (days late)"), default=1)
    overdue_2_days = models.PositiveSmallIntegerField(_("2nd overdue notice (days late)"), default=8)
    overdue_3_days = models.PositiveSmallIntegerField(_("3rd overdue notice (days late)"), default=15)
    hold_expiry_warning_days = models.PositiveSmallIntegerField(_("hold about to expire (days before)"), default=2)
    card_expiry_warning_days = models.PositiveSmallIntegerField(_("card expiring (days before)"), default=30)
    lost_processing_fee = models.DecimalField(_("processing fee for a lost item"), max_digits=8, decimal_places=2,
                                              default=Decimal("50.00"))
    default_replacement_price = models.DecimalField(
        _("replacement price when an item has none"), max_digits=8, decimal_places=2, default=Decimal("300.00"))
    card_replacement_fee = models.DecimalField(_("replacement card fee"), max_digits=8, decimal_places=2,
                                               default=Decimal("20.00"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("circulation settings")
        verbose_name_plural = _("circulation settings")
        constraints = [
            models.CheckConstraint(condition=Q(overdue_2_days__gt=models.F("overdue_1_days"))
                                   & Q(overdue_3_days__gt=models.F("overdue_2_days")),
                                   name="circulation_settings_overdue_schedule_increasing"),
        ]

    def __str__(self):
        return str(_("circulation settings"))

    @classmethod
    def current(cls) -> "CirculationSettings":
        """Return the settings row, creating it with the defaults the first time."""
        row = cls.objects.order_by("pk").first()
        return row or cls.objects.create()

    @property
    def overdue_schedule(self) -> tuple[int, int, int]:
        return (self.overdue_1_days, self.overdue_2_days, self.overdue_3_days)


class Notice(models.Model):
    """One notice to a patron (pre-due, overdue 1st/2nd/3rd, hold ready...), sent once per occasion.

    ``occasion`` names what it is about (``loan:12:due:2025-06-16``); the unique pair
    (kind, occasion) makes a periodic task that runs twice send nothing twice. The delivery of
    each channel is logged in core's ``NotificationAttempt`` (``about = circulation.notice:<pk>``).
    """

    class Kind(models.TextChoices):
        PRE_DUE = "pre_due", _("due soon")
        OVERDUE_1 = "overdue_1", _("overdue, 1st notice")
        OVERDUE_2 = "overdue_2", _("overdue, 2nd notice")
        OVERDUE_3 = "overdue_3", _("overdue, 3rd notice")
        HOLD_READY = "hold_ready", _("hold ready for pickup")
        HOLD_EXPIRING = "hold_expiring", _("hold about to expire")
        CARD_EXPIRING = "card_expiring", _("card expiring")

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("no address")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    occasion = models.CharField(_("occasion"), max_length=80)
    patron = models.ForeignKey("circulation.Patron", on_delete=models.CASCADE, related_name="notices")
    loan = models.ForeignKey("circulation.Loan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    hold = models.ForeignKey("circulation.Hold", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("delivery"), max_length=8, choices=Status.choices)
    channels = models.JSONField(_("channels"), default=list)
    detail = models.TextField(_("delivery detail"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "occasion"], name="circulation_notice_once")]

    def __str__(self):
        return f"{self.kind} {self.occasion}: {self.status}"
