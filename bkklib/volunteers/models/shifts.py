"""The roster: shifts, sign-ups (with hours) and swaps."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .recruitment import Role, new_token
from .volunteers import Volunteer


class Shift(models.Model):
    """A shift on a branch's volunteer roster."""

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="volunteer_shifts",
                               verbose_name=_("branch"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("role"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    places = models.PositiveSmallIntegerField(_("volunteers needed"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer shift")
        verbose_name_plural = _("volunteer shifts")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["branch", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="volunteers_shift_ends_after_starts",
                                   violation_error_message=_("A shift must end after it starts.")),
            models.CheckConstraint(condition=Q(places__gte=1), name="volunteers_shift_places_positive",
                                   violation_error_message=_("A shift needs at least one volunteer.")),
        ]

    def __str__(self):
        return f"{self.role} {self.starts_at:%Y-%m-%d %H:%M}"


SIGNUP_HOLDING = ("signed_up", "checked_in", "checked_out")


class SignupQuerySet(models.QuerySet):
    def holding(self):
        return self.filter(status__in=SIGNUP_HOLDING)

    def approved(self):
        return self.filter(status="checked_out", approved_at__isnull=False)


class Signup(models.Model):
    """A volunteer on a shift: signed up, checked in and out, hours approved by the supervisor."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("signed up")
        CHECKED_IN = "checked_in", _("on shift")
        CHECKED_OUT = "checked_out", _("done")
        CANCELLED = "cancelled", _("cancelled")
        SWAPPED = "swapped", _("handed to another volunteer")
        NO_SHOW = "no_show", _("did not come")

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="signups", verbose_name=_("shift"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups",
                                  verbose_name=_("volunteer"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SIGNED_UP,
                              db_index=True)
    signed_up_at = models.DateTimeField(_("signed up at"))
    checked_in_at = models.DateTimeField(pgettext_lazy("volunteer shift", "checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(pgettext_lazy("volunteer shift", "checked out at"), null=True, blank=True)
    check_method = models.CharField(pgettext_lazy("volunteer shift", "checked in by"), max_length=8, blank=True,
                                    choices=[("desk", _("branch desk")), ("qr", _("QR code"))])
    minutes = models.PositiveIntegerField(_("minutes worked"), default=0)
    approved_at = models.DateTimeField(_("hours approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("hours approved by"))
    history = HistoricalRecords()

    objects = SignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["shift__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], condition=Q(status__in=SIGNUP_HOLDING),
                                    name="volunteers_signup_once_per_shift",
                                    violation_error_message=_("This volunteer is already on this shift.")),
            models.CheckConstraint(condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False)
                                   & Q(checked_out_at__gt=F("checked_in_at")),
                                   name="volunteers_signup_out_after_in",
                                   violation_error_message=_("Check-out must come after check-in.")),
            models.CheckConstraint(condition=Q(approved_at__isnull=True) | Q(status="checked_out"),
                                   name="volunteers_signup_approved_when_done",
                                   violation_error_message=_("Only the hours of a finished shift are approved.")),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.shift}"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))


class Swap(models.Model):
    """A request to hand a sign-up to another volunteer (or to anyone placed there: an open offer), or to
    exchange it for another volunteer's sign-up; the other volunteer accepts, then staff approve or refuse."""

    class Status(models.TextChoices):
        ASKED = "asked", _("waiting for the other volunteer")
        PENDING = "pending", _("waiting for staff")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        DECLINED = "declined", _("declined by the other volunteer")
        WITHDRAWN = "withdrawn", pgettext_lazy("volunteer swap", "withdrawn")

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="swaps", verbose_name=_("sign-up"))
    to_volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                     verbose_name=_("to volunteer"),
                                     help_text=_("Empty: offered to any volunteer placed at the branch."))
    to_signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="+", null=True, blank=True,
                                  verbose_name=_("in exchange for"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASKED)
    requested_at = models.DateTimeField(_("requested at"))
    accepted_at = models.DateTimeField(_("accepted by the other volunteer at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    note = models.CharField(_("staff's note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["signup"], condition=Q(status__in=["asked", "pending"]),
                                    name="volunteers_swap_one_open",
                                    violation_error_message=_("This shift already has a swap waiting.")),
            models.CheckConstraint(condition=Q(status__in=["asked", "withdrawn"]) | Q(to_volunteer__isnull=False),
                                   name="volunteers_swap_taken_by_someone",
                                   violation_error_message=_("An accepted swap names the volunteer taking it.")),
        ]

    def __str__(self):
        return f"{self.signup} → {self.to_volunteer or '…'}"

    @property
    def is_open_offer(self) -> bool:
        return self.to_volunteer_id is None


class CheckinPoint(models.Model):
    """The QR check-in poster of a branch: its token (rotated by staff when a poster leaks or is replaced)."""

    branch = models.OneToOneField("network.Branch", on_delete=models.CASCADE, related_name="volunteer_checkin",
                                  verbose_name=_("branch"))
    token = models.CharField(_("QR token"), max_length=40, unique=True, default=new_token)
    rotated_at = models.DateTimeField(_("token made at"), null=True, blank=True)
    rotated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("token made by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer check-in QR")
        verbose_name_plural = _("volunteer check-in QRs")

    def __str__(self):
        return str(self.branch)
