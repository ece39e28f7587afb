"""Holds (จอง): a patron waits for a title or a given item, in strict queue order."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ACTIVE_STATUSES = ("waiting", "in_transit", "ready")


class Hold(models.Model):
    """A patron's place in the queue for a record (any item) or for one item, and its pickup branch.

    ``position`` only grows within a record (it is never reused), so the queue order is the order
    holds were placed; the database refuses two holds with the same position.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        IN_TRANSIT = "in_transit", _("on its way to the pickup branch")
        READY = "ready", _("ready on the hold shelf")
        FULFILLED = "fulfilled", _("collected")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("expired (not collected)")

    record = models.ForeignKey("catalog.Record", on_delete=models.PROTECT, related_name="holds",
                               verbose_name=_("title"))
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="holds",
                             verbose_name=_("this item only"))
    patron = models.ForeignKey("circulation.Patron", on_delete=models.PROTECT, related_name="holds",
                               verbose_name=_("patron"))
    pickup_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("pickup branch"))
    position = models.PositiveIntegerField(_("queue position"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    placed_at = models.DateTimeField(_("placed at"))
    placed_at_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("placed at desk"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("placed by staff"))
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    trapped_item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("item set aside"))
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_on = models.DateField(_("wait on the shelf until"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["record", "position"]
        indexes = [
            models.Index(fields=["record", "position"], condition=Q(status="waiting"), name="circ_hold_queue"),
            models.Index(fields=["patron"], condition=Q(status__in=ACTIVE_STATUSES), name="circ_hold_patron_active"),
            models.Index(fields=["pickup_branch", "expires_on"], condition=Q(status="ready"), name="circ_hold_shelf"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["record", "position"], name="circulation_hold_queue_position_once",
                                    violation_error_message=_("Two holds cannot share a place in the queue.")),
            models.UniqueConstraint(fields=["patron", "record"], condition=Q(status__in=ACTIVE_STATUSES),
                                    name="circulation_hold_one_active_per_patron_record",
                                    violation_error_message=_("This patron already holds this title.")),
            models.UniqueConstraint(fields=["trapped_item"], condition=Q(status__in=("in_transit", "ready")),
                                    name="circulation_hold_item_trapped_once"),
            models.CheckConstraint(condition=~Q(status="ready") | Q(expires_on__isnull=False, trapped_item__isnull=False),
                                   name="circulation_hold_ready_has_item_and_expiry"),
            models.CheckConstraint(condition=Q(position__gte=1), name="circulation_hold_position_positive"),
        ]

    def __str__(self):
        return f"{self.record_id} #{self.position} → {self.patron_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
