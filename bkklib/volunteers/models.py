"""Tables of the volunteers app: criteria and calls, applications, volunteers and their agreements,
shifts and hours, evaluations, welfare.

Sensitive fields (national ID, address, health notes) are stored sealed (``protect.seal``) and read
only through ``services.sensitive_fields``, which checks ``volunteers.view_sensitive`` and logs the read.
"""
from __future__ import annotations

import secrets
from decimal import Decimal

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
    handover_done = models.JSONField(_("handover items done"), default=list, blank=True)
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
    def is_open(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.RESIGNING)


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
    """A request to hand a sign-up to another volunteer, approved or refused by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for staff")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="swaps", verbose_name=_("sign-up"))
    to_volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("to volunteer"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["signup"], condition=Q(status="pending"),
                                    name="volunteers_swap_one_pending",
                                    violation_error_message=_("This shift already has a swap waiting.")),
        ]

    def __str__(self):
        return f"{self.signup} → {self.to_volunteer}"


class EvaluationForm(TimeStampedModel):
    """An evaluation form for a period, with weighted criteria."""

    name = models.CharField(_("name"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    pass_mark = models.PositiveSmallIntegerField(_("score for renewal (out of 100)"), default=60)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="volunteers_evaluationform_period",
                                   violation_error_message=_("The period cannot end before it starts.")),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="volunteers_evaluationform_pass_mark",
                                   violation_error_message=_("The renewal score is out of 100.")),
        ]

    def __str__(self):
        return self.name


class EvaluationCriterion(models.Model):
    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="criteria",
                             verbose_name=_("form"))
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["form", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="volunteers_criterion_weight_positive",
                                   violation_error_message=_("A criterion weighs at least 1.")),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="volunteers_criterion_max_positive",
                                   violation_error_message=_("The highest score is at least 1.")),
        ]

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    """A volunteer's evaluation on a form: scores, comments, weighted total, the volunteer's acknowledgement."""

    class Recommendation(models.TextChoices):
        RENEW = "renew", _("renew the agreement")
        NOT_RENEW = "not_renew", _("do not renew")

    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="evaluations",
                             verbose_name=_("form"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="evaluations",
                                  verbose_name=_("volunteer"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("evaluator"))
    evaluated_at = models.DateTimeField(_("evaluated at"))
    total = models.DecimalField(_("weighted score (out of 100)"), max_digits=5, decimal_places=2)
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices)
    comments = models.TextField(_("comments"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by the volunteer at"), null=True, blank=True)
    volunteer_comment = models.TextField(_("volunteer's comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluated_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "volunteer"], name="volunteers_evaluation_once_per_form",
                                    violation_error_message=_("This volunteer has already been evaluated on this form.")),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=100), name="volunteers_evaluation_total",
                                   violation_error_message=_("The score is between 0 and 100.")),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.form} ({self.total})"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("evaluation"))
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("criterion"))
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="volunteers_score_once",
                                               violation_error_message=_("Each criterion is scored once."))]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


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
