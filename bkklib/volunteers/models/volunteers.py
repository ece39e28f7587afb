"""Volunteers and their agreements."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from .recruitment import Application, Role, new_token


class Volunteer(TimeStampedModel):
    """An accepted volunteer: the person, their sign-in and their home branch (for branch scoping)."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("volunteer", "active")
        ENDED = "ended", _("no longer volunteering")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="volunteer", verbose_name=_("sign-in account"))
    application = models.OneToOneField(Application, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="volunteer", verbose_name=_("application"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="volunteers",
                               verbose_name=_("home branch"))
    code = models.CharField(_("volunteer code"), max_length=12, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    district = models.ForeignKey("network.District", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("district of residence"))
    national_id_hash = models.CharField(_("national ID (keyed hash)"), max_length=64, blank=True, db_index=True)
    national_id_sealed = models.CharField(_("national ID (encrypted)"), max_length=120, blank=True)
    address_sealed = models.TextField(_("address (encrypted)"), blank=True)
    health_sealed = models.TextField(_("health notes (encrypted)"), blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    checkin_token = models.CharField(_("QR check-in token"), max_length=40, unique=True, default=new_token,
                                     editable=False)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["national_id_sealed", "address_sealed", "health_sealed",
                                                 "national_id_hash"])

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["first_name", "last_name"]
        permissions = [("view_sensitive", _("Can see volunteers' national ID, address and health notes")),
                       ("approve_hours", _("Can approve volunteers' hours and swaps")),
                       ("manage_welfare", _("Can record volunteers' welfare")),
                       ("evaluate_volunteer", _("Can evaluate volunteers")),
                       ("erase_volunteer", _("Can export and erase a volunteer's personal data"))]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or self.code

    @property
    def full_name(self) -> str:
        return str(self)


class Agreement(models.Model):
    """A volunteer agreement for one placement: role, branch, dates, hours, duties, conduct, notice and handover."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("waiting for the volunteer's acceptance")
        ACTIVE = "active", _("in force")
        RESIGNING = "resigning", _("resignation under notice")
        ENDED = "ended", _("ended")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="agreements",
                                  verbose_name=_("volunteer"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+", verbose_name=_("role"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours a week"), default=4)
    duties = models.TextField(_("duties"))
    code_of_conduct = models.TextField(_("code of conduct"))
    notice_days = models.PositiveSmallIntegerField(_("resignation notice (working days)"), default=5)
    handover = models.TextField(_("handover checklist"), blank=True, help_text=_("One item a line."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED,
                              db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resignation_filed_at = models.DateTimeField(_("resignation filed at"), null=True, blank=True)
    resignation_effective_at = models.DateTimeField(_("resignation takes effect at"), null=True, blank=True)
    resignation_reason = models.CharField(_("reason for resigning"), max_length=300, blank=True)
    handover_done = models.JSONField(_("handover items done"), default=list, blank=True,
                                     help_text=_("Each item ticked: the item, who ticked it and when."))
    handover_override_reason = models.CharField(_("why the placement may end with the handover unfinished"),
                                                max_length=300, blank=True)
    handover_override_at = models.DateTimeField(_("handover override recorded at"), null=True, blank=True)
    handover_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                             blank=True, related_name="+",
                                             verbose_name=_("handover override recorded by"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("offered at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("offered by"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer agreement")
        verbose_name_plural = _("volunteer agreements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="volunteers_agreement_dates",
                                   violation_error_message=_("An agreement cannot end before it starts.")),
            models.CheckConstraint(condition=Q(status="offered") | Q(accepted_at__isnull=False),
                                   name="volunteers_agreement_accepted_dated",
                                   violation_error_message=_("An agreement in force records when it was accepted.")),
            models.CheckConstraint(condition=~Q(status="resigning") | Q(resignation_effective_at__isnull=False),
                                   name="volunteers_agreement_resignation_dated",
                                   violation_error_message=_("A resignation records when it takes effect.")),
            models.CheckConstraint(condition=~Q(status="ended") | Q(ended_at__isnull=False),
                                   name="volunteers_agreement_end_dated",
                                   violation_error_message=_("An ended agreement records when it ended.")),
            models.UniqueConstraint(fields=["volunteer", "branch", "role"],
                                    condition=Q(status__in=["offered", "active", "resigning"]),
                                    name="volunteers_agreement_one_open_per_placement",
                                    violation_error_message=_("This volunteer already has an open agreement "
                                                              "for this role at this branch.")),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.role} · {self.branch}"

    @property
    def handover_items(self) -> list[str]:
        return [line.strip() for line in self.handover.splitlines() if line.strip()]

    @property
    def handover_ticks(self) -> dict[str, dict]:
        """Return each ticked item with who ticked it (``by``, ``by_name``) and when (``at``, ISO)."""
        ticks = {}
        for entry in self.handover_done or []:
            if isinstance(entry, str):  # ticked before who and when were kept
                ticks[entry] = {"item": entry, "by": None, "by_name": "", "at": ""}
            elif isinstance(entry, dict) and entry.get("item"):
                ticks[entry["item"]] = entry
        return ticks

    @property
    def handover_checklist(self) -> list[tuple[str, dict | None]]:
        from datetime import datetime

        ticks = self.handover_ticks
        rows = []
        for item in self.handover_items:
            tick = ticks.get(item)
            if tick is not None:
                tick = {**tick, "when": datetime.fromisoformat(tick["at"]) if tick.get("at") else None}
            rows.append((item, tick))
        return rows

    @property
    def handover_left(self) -> list[str]:
        ticks = self.handover_ticks
        return [item for item in self.handover_items if item not in ticks]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.RESIGNING)
