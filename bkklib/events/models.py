"""Festivals, reading-promotion projects, activities, sessions, registrations and attendance.

Every invariant is a database constraint named ``events_<model>_<what>``: one festival per month,
one live registration per patron (or guest phone) and session, one queue position per session, an
activity held somewhere (a branch or an off-site place), sensible age ranges and capacities.
"""
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from . import rules

SESSION = pgettext_lazy("activity", "session")  # not the web session Django's own catalogue translates


class AgeGroup(models.TextChoices):
    CHILD = rules.CHILD, _("children (0–12)")
    YOUTH = rules.YOUTH, _("youth (13–24)")
    ADULT = rules.ADULT, _("adults (25–59)")
    SENIOR = rules.SENIOR, _("seniors (60+)")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    UNSPECIFIED = "unspecified", _("not stated")


class Festival(TimeStampedModel):
    """The city's festival of one month ("12 เดือน 12 เทศกาล"), editable per year."""

    year = models.PositiveSmallIntegerField(_("year (CE)"), validators=[MinValueValidator(2000)])
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    theme = models.TextField(_("theme"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="events_festival_one_per_month",
                                    violation_error_message=_("This month already has a festival.")),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="events_festival_dates",
                                   violation_error_message=_("A festival cannot end before it starts.")),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="events_festival_month",
                                   violation_error_message=_("The month is 1 to 12.")),
        ]

    def __str__(self):
        return self.name_th


class Project(TimeStampedModel):
    """A reading-promotion project of one fiscal year, with its budget and targets."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), validators=[MinValueValidator(2500)])
    name = models.CharField(_("name"), max_length=200)
    objectives = models.TextField(_("objectives"), blank=True)
    budget = models.DecimalField(_("budget (baht)"), max_digits=12, decimal_places=2, default=0,
                                 validators=[MinValueValidator(0)])
    target_activities = models.PositiveIntegerField(_("target: activities held"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-fiscal_year", "name"]
        permissions = [("view_report", _("Can view activity reports (targets against actual)"))]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "name"], name="events_project_name_once_per_year",
                                    violation_error_message=_("This fiscal year already has a project of this name.")),
            models.CheckConstraint(condition=Q(budget__gte=0), name="events_project_budget_not_negative",
                                   violation_error_message=_("The budget cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.name} ({self.fiscal_year})"


class ProjectTarget(models.Model):
    """A project's target number of participants of one age group."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets", verbose_name=_("project"))
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    participants = models.PositiveIntegerField(_("target participants"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant target")
        verbose_name_plural = _("participant targets")
        ordering = ["project", "age_group"]
        constraints = [
            models.UniqueConstraint(fields=["project", "age_group"], name="events_projecttarget_one_per_group",
                                    violation_error_message=_("This age group already has a target.")),
        ]

    def __str__(self):
        return f"{self.get_age_group_display()}: {self.participants}"


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Activity.Status.PUBLISHED)


class Activity(TimeStampedModel):
    """An activity (storytelling, a workshop, a talk): held at a branch or off-site, in one or more sessions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    class Registration(models.TextChoices):
        OPEN = "open", _("open to all, no registration")
        REQUIRED = "required", _("registration required")

    title = models.CharField(pgettext_lazy("activity", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="events/activities/%Y/", blank=True)
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="activities", verbose_name=_("branch"),
                               help_text=_("The library that holds it (also for off-site activities)."))
    place = models.CharField(_("off-site place"), max_length=200, blank=True,
                             help_text=_("Empty: at the branch. E.g. a school or a community hall."))
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    registration = models.CharField(_("registration"), max_length=10, choices=Registration.choices,
                                    default=Registration.REQUIRED)
    capacity = models.PositiveIntegerField(_("places per session"), null=True, blank=True,
                                           help_text=_("Empty: no limit."))
    waitlist = models.BooleanField(_("waiting list when full"), default=True)
    festival = models.ForeignKey(Festival, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="activities", verbose_name=_("festival"))
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="activities", verbose_name=_("project"))
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    repeat_weekly_until = models.DateField(_("weekly series until"), null=True, blank=True,
                                           help_text=_("Set when the sessions repeat every week (e.g. every Saturday)."))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(branch__isnull=False) | ~Q(place=""), name="events_activity_has_place",
                                   violation_error_message=_("Give a branch or an off-site place.")),
            models.CheckConstraint(condition=Q(min_age__isnull=True) | Q(max_age__isnull=True)
                                   | Q(max_age__gte=models.F("min_age")), name="events_activity_age_range",
                                   violation_error_message=_("The upper age is below the lower age.")),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                                   name="events_activity_capacity_positive",
                                   violation_error_message=_("Places per session must be at least 1.")),
        ]

    def __str__(self):
        return self.title

    @property
    def where(self) -> str:
        if self.place:
            return self.place
        return self.branch.name_th if self.branch_id else ""


class SessionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(cancelled=False, activity__status=Activity.Status.PUBLISHED)


class Session(TimeStampedModel):
    """One occurrence of an activity: a date and time, its places, attendance, photos and outcome."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions",
                                 verbose_name=_("activity"))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: no limit."))
    room = models.CharField(_("room or place"), max_length=200, blank=True,
                            help_text=_("Free text for now (e.g. children's corner, 2nd floor)."))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    outcome = models.TextField(_("outcome notes"), blank=True)
    next_position = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["next_position"])
    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = SESSION
        verbose_name_plural = pgettext_lazy("activity", "sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="events_session_times",
                                   violation_error_message=_("A session must end after it starts.")),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                                   name="events_session_capacity_positive",
                                   violation_error_message=_("Places must be at least 1.")),
        ]

    def __str__(self):
        return f"{self.activity.title} {self.starts_at:%Y-%m-%d %H:%M}"


class SessionPhoto(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos", verbose_name=SESSION)
    image = models.ImageField(_("photo"), upload_to="events/photos/%Y/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.caption or self.image.name


class WalkIn(models.Model):
    """People who came without registering, counted at the door by age group and gender."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="walk_ins", verbose_name=SESSION)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices)
    count = models.PositiveIntegerField(_("people"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("walk-in count")
        verbose_name_plural = _("walk-in counts")
        constraints = [
            models.UniqueConstraint(fields=["session", "age_group", "gender"], name="events_walkin_one_per_cell",
                                    violation_error_message=_("This session already counts this age group and gender.")),
        ]

    def __str__(self):
        return f"{self.session_id} {self.age_group}/{self.gender}: {self.count}"


def new_token() -> str:
    return secrets.token_urlsafe(16)


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def admitted(self):
        return self.filter(status=Registration.Status.REGISTERED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("position")


class Registration(models.Model):
    """A place in a session (or in its waiting list) for a patron or a guest without a card.

    ``position`` is the order of arrival in the session, unique and never reused: the waiting list
    promotes the lowest position first. Guests give a name, a phone and an age group with consent
    (PDPA); their personal data is removed ``BKKLIB_EVENTS_GUEST_RETENTION_DAYS`` after the session.
    """

    class Status(models.TextChoices):
        REGISTERED = rules.REGISTERED, _("registered")
        WAITLISTED = rules.WAITLISTED, _("on the waiting list")
        CANCELLED = rules.CANCELLED, _("cancelled")

    class Channel(models.TextChoices):
        ACCOUNT = "account", _("patron account")
        STAFF = "staff", _("at the desk")
        GUEST = "guest", _("guest online")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations",
                                verbose_name=SESSION)
    patron = models.ForeignKey("circulation.Patron", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="event_registrations", verbose_name=_("patron"))
    guest_name = models.CharField(_("name"), max_length=200, blank=True)
    guest_phone = models.CharField(_("phone"), max_length=32, blank=True)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNSPECIFIED)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    position = models.PositiveIntegerField(_("order of arrival"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    token = models.CharField(_("code"), max_length=32, unique=True, default=new_token)
    registered_at = models.DateTimeField(_("registered at"))
    promoted_at = models.DateTimeField(_("moved off the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    wants_certificate = models.BooleanField(_("wants a certificate"), default=False)
    consent_at = models.DateTimeField(_("PDPA consent given at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("registered by"))
    history = HistoricalRecords(excluded_fields=["guest_name", "guest_phone"])
    objects = RegistrationQuerySet.as_manager()

    PERSONAL_FIELDS = ("guest_name", "guest_phone")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "patron"], condition=Q(patron__isnull=False) & ~Q(status="cancelled"),
                                    name="events_registration_one_live_per_patron",
                                    violation_error_message=_("This patron is already registered for this session.")),
            models.UniqueConstraint(fields=["session", "guest_phone"],
                                    condition=Q(patron__isnull=True) & ~Q(guest_phone="") & ~Q(status="cancelled"),
                                    name="events_registration_one_live_per_guest_phone",
                                    violation_error_message=_("This phone number is already registered for this session.")),
            models.UniqueConstraint(fields=["session", "position"], name="events_registration_position_once",
                                    violation_error_message=_("Two registrations cannot share a place in the queue.")),
            models.CheckConstraint(condition=Q(patron__isnull=False) | ~Q(guest_name="") | Q(anonymised_at__isnull=False),
                                   name="events_registration_patron_or_guest",
                                   violation_error_message=_("A registration is for a patron or a named guest.")),
            models.CheckConstraint(condition=Q(patron__isnull=False) | Q(consent_at__isnull=False),
                                   name="events_registration_guest_consent",
                                   violation_error_message=_("A guest must consent to the use of their data.")),
            models.CheckConstraint(condition=Q(checked_in_at__isnull=True) | Q(status="registered"),
                                   name="events_registration_checkin_when_registered",
                                   violation_error_message=_("Only a registered place can be checked in.")),
        ]

    def __str__(self):
        return f"{self.display_name} — {self.session}"

    @property
    def display_name(self) -> str:
        if self.patron_id:
            return self.patron.full_name
        return self.guest_name or _("(removed)")
