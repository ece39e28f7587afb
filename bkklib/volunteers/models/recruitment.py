"""Recruitment tables: criteria, roles, calls and applications."""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel


def new_token() -> str:
    return secrets.token_urlsafe(18)


def new_reference() -> str:
    return "VA" + "".join(secrets.choice("ACDEFGHJKLMNPQRTUVWXY34679") for _ in range(7))


class Criteria(TimeStampedModel):
    """Recruitment criteria the division edits; a call uses one set."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=15)
    consent_below_age = models.PositiveSmallIntegerField(
        _("guardian consent needed below age"), default=18,
        help_text=_("Applicants younger than this need a parent's or guardian's consent."))
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    districts = models.ManyToManyField("network.District", blank=True, related_name="+",
                                       verbose_name=_("districts of residence"),
                                       help_text=_("None chosen: any district."))
    min_hours_per_week = models.PositiveSmallIntegerField(_("minimum availability (hours a week)"), default=0)
    skills = models.CharField(_("skills wanted"), max_length=300, blank=True,
                              help_text=_("Comma-separated; an applicant must have at least one when given."))
    documents = models.CharField(_("documents required"), max_length=300, blank=True,
                                 help_text=_("Comma-separated, e.g. copy of ID card, house registration."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recruitment criteria")
        verbose_name_plural = _("recruitment criteria")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                                   name="volunteers_criteria_age_range",
                                   violation_error_message=_("The maximum age cannot be below the minimum age.")),
        ]

    def __str__(self):
        return self.name

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]

    @property
    def document_list(self) -> list[str]:
        return [s.strip() for s in self.documents.split(",") if s.strip()]


class Role(TimeStampedModel):
    """A kind of volunteer work (reading-corner helper, storyteller, IT helper...)."""

    name_th = models.CharField(_("name (Thai)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    counts_in_coverage = models.BooleanField(
        _("counts in staff coverage"), default=False,
        help_text=_("The division allows a volunteer on shift in this role to count towards a branch's minimum staff."))
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer role")
        verbose_name_plural = _("volunteer roles")
        ordering = ["name_th"]

    def __str__(self):
        return self.name_th


class Call(TimeStampedModel):
    """A recruitment call of a branch or reading house: a role, how many people, when, on which criteria."""

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="volunteer_calls",
                               verbose_name=_("branch"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="calls", verbose_name=_("role"))
    criteria = models.ForeignKey(Criteria, on_delete=models.PROTECT, related_name="calls",
                                 verbose_name=_("criteria"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    wanted = models.PositiveSmallIntegerField(_("number wanted"), default=1)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recruitment call")
        verbose_name_plural = _("recruitment calls")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="volunteers_call_dates",
                                   violation_error_message=_("A call cannot close before it opens.")),
            models.CheckConstraint(condition=Q(wanted__gte=1), name="volunteers_call_wanted_positive",
                                   violation_error_message=_("A call wants at least one person.")),
        ]

    def __str__(self):
        return self.title


class Application(models.Model):
    """A citizen's application to a call, with its screening, interview and decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SCREENED = "screened", _("passed screening")
        INTERVIEW = "interview", _("interview scheduled")
        ACCEPTED = "accepted", pgettext_lazy("volunteer application", "accepted")
        REJECTED = "rejected", _("not accepted")
        WITHDRAWN = "withdrawn", pgettext_lazy("volunteer application", "withdrawn")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))  # the call's, kept for branch scoping
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference, editable=False)
    token = models.CharField(_("status page token"), max_length=40, unique=True, default=new_token, editable=False)
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
    hours_per_week = models.PositiveSmallIntegerField(_("available hours a week"), default=0)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    documents = models.CharField(_("documents provided"), max_length=300, blank=True)
    guardian_consent = models.BooleanField(_("guardian has consented"), default=False)
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    motivation = models.TextField(_("why I want to volunteer"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    screening_note = models.TextField(_("screening notes"), blank=True)
    interview_at = models.DateTimeField(_("interview at"), null=True, blank=True)
    interview_place = models.CharField(_("interview place"), max_length=200, blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decision_reason = models.CharField(_("reason for the decision"), max_length=300, blank=True)
    erased_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["national_id_sealed", "address_sealed", "health_sealed",
                                                 "national_id_hash"])

    class Meta:
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        ordering = ["-submitted_at"]
        permissions = [("decide_application", _("Can screen, interview and decide volunteer applications"))]
        constraints = [
            models.UniqueConstraint(fields=["call", "national_id_hash"],
                                    condition=Q(erased_at__isnull=True) & ~Q(national_id_hash=""),
                                    name="volunteers_application_once_per_call",
                                    violation_error_message=_("You have already applied to this call.")),
            models.CheckConstraint(condition=~Q(status__in=["accepted", "rejected"]) | Q(decided_at__isnull=False),
                                   name="volunteers_application_decision_dated",
                                   violation_error_message=_("A decision records when it was made.")),
        ]

    def __str__(self):
        return f"{self.reference} {self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
