"""Tables of the cases app: one shared case with deadline clocks (docs/admin/cases.md), used by the
GECC service desk, the action items of the governor's field visits and the internal-audit findings.

A case's clocks (first response, resolution) are counted by ``network.rules.workdays``; the due times
are stored so lists and the reminder task can filter on them, and recomputed by the services whenever
a pause begins or ends.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud on the phone


def new_tracking_code() -> str:
    """Return a fresh tracking code (10 characters; the citizen follows the case with it)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class ClockUnit(models.TextChoices):
    CALENDAR_HOURS = "calendar_hours", _("calendar hours")
    BUSINESS_HOURS = "business_hours", _("office hours")
    BUSINESS_DAYS = "business_days", _("working days")


class Category(TimeStampedModel):
    """A category of the service desk with its published service standard (response and resolution)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    response_amount = models.PositiveSmallIntegerField(_("first response within"), default=1)
    response_unit = models.CharField(_("first response counted in"), max_length=20, choices=ClockUnit.choices,
                                     default=ClockUnit.BUSINESS_DAYS)
    resolution_amount = models.PositiveSmallIntegerField(_("resolution within"), default=15)
    resolution_unit = models.CharField(_("resolution counted in"), max_length=20, choices=ClockUnit.choices,
                                       default=ClockUnit.BUSINESS_DAYS)
    default_unit_code = models.SlugField(_("responsible unit (code)"), max_length=40, blank=True,
                                         help_text=_("Code of the unit in the current structure; empty: the "
                                                     "unit of the branch."))
    is_public = models.BooleanField(_("offered on the public form"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(response_amount__gte=1) & Q(resolution_amount__gte=1),
                                   name="cases_category_amounts_positive",
                                   violation_error_message=_("A service standard counts at least one unit.")),
        ]

    def __str__(self):
        return self.name_th


class RoutingRule(TimeStampedModel):
    """Route cases of a category (at a branch, or anywhere) to a unit of the current structure."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules",
                                 verbose_name=pgettext_lazy("case", "category"))
    branch = models.ForeignKey("network.Branch", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("branch"), help_text=_("Empty: every branch."))
    unit_code = models.SlugField(_("responsible unit (code)"), max_length=40)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "branch"], condition=Q(branch__isnull=False),
                                    name="cases_routingrule_one_per_category_branch",
                                    violation_error_message=_("This category already has a rule for this branch.")),
            models.UniqueConstraint(fields=["category"], condition=Q(branch__isnull=True),
                                    name="cases_routingrule_one_default_per_category",
                                    violation_error_message=_("This category already has a default rule.")),
        ]

    def __str__(self):
        return f"{self.category} → {self.unit_code}"


class Label(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Visit(TimeStampedModel):
    """A field visit of the governor's team: when, who, which branches; its action items are cases."""

    visited_on = models.DateField(_("date of the visit"))
    title = models.CharField(pgettext_lazy("case", "title"), max_length=200)
    visitors = models.CharField(_("who visited"), max_length=300)
    branches = models.ManyToManyField("network.Branch", related_name="case_visits", verbose_name=_("branches"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return self.title


class AuditReport(TimeStampedModel):
    """One report of the internal audit office for a fiscal year; its findings are cases."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    title = models.CharField(pgettext_lazy("case", "title"), max_length=200)
    auditor = models.CharField(_("auditor"), max_length=200, default="")
    received_on = models.DateField(_("received on"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit report")
        verbose_name_plural = _("audit reports")
        ordering = ["-fiscal_year", "-received_on"]
        constraints = [
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                                   name="cases_auditreport_fiscal_year_be",
                                   violation_error_message=_("The fiscal year is a Buddhist Era year.")),
        ]

    def __str__(self):
        return self.title


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state__in=("resolved", "closed"))

    def overdue(self, now):
        return self.open().filter(resolution_due_at__lt=now)


class Case(TimeStampedModel):
    """A piece of work under a clock: a citizen's request or complaint, a visit item, an audit finding."""

    class Kind(models.TextChoices):
        REQUEST = "request", pgettext_lazy("case", "request")
        COMPLAINT = "complaint", pgettext_lazy("case", "complaint")
        SUGGESTION = "suggestion", pgettext_lazy("case", "suggestion")
        COMPLIMENT = "compliment", pgettext_lazy("case", "compliment")
        VISIT_ITEM = "visit_item", pgettext_lazy("case", "field-visit action item")
        AUDIT_FINDING = "audit_finding", pgettext_lazy("case", "audit finding")

    class State(models.TextChoices):
        NEW = "new", pgettext_lazy("case", "waiting to be received")
        IN_PROGRESS = "in_progress", pgettext_lazy("case", "in progress")
        WAITING = "waiting", pgettext_lazy("case", "waiting for the requester")
        RESOLVED = "resolved", pgettext_lazy("case", "done")
        CLOSED = "closed", pgettext_lazy("case", "closed")

    class Channel(models.TextChoices):
        WEB = "web", pgettext_lazy("case", "web form")
        PHONE = "phone", pgettext_lazy("case", "phone")
        WALK_IN = "walk_in", pgettext_lazy("case", "walk-in")
        LINE = "line", pgettext_lazy("case", "LINE")
        LETTER = "letter", pgettext_lazy("case", "letter")
        VISIT = "visit", pgettext_lazy("case", "field visit")
        AUDIT = "audit", pgettext_lazy("case", "audit report")

    class Risk(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    code = models.CharField(_("tracking code"), max_length=12, unique=True, default=new_tracking_code,
                            editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.NEW, db_index=True)
    title = models.CharField(pgettext_lazy("case", "subject"), max_length=200)
    description = models.TextField(_("details"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
                                 verbose_name=pgettext_lazy("case", "category"))
    labels = models.ManyToManyField(Label, blank=True, related_name="cases", verbose_name=_("labels"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="cases", verbose_name=_("branch"))
    other_branches = models.ManyToManyField("network.Branch", blank=True, related_name="+",
                                            verbose_name=_("other branches"))
    units = models.ManyToManyField("network.OrgUnit", blank=True, related_name="cases",
                                   verbose_name=_("responsible units"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("handled by"))
    # The requester (personal data: PDPA purpose "answering the request", kept 2 years after closing).
    requester_name = models.CharField(_("name"), max_length=150, blank=True)
    requester_phone = models.CharField(_("phone"), max_length=40, blank=True)
    requester_email = models.EmailField(_("email"), blank=True)
    is_anonymous = models.BooleanField(_("keep my identity hidden"), default=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Clocks, started when the case was filed.
    filed_at = models.DateTimeField(_("filed at"), db_index=True)
    response_unit = models.CharField(_("first response counted in"), max_length=20, choices=ClockUnit.choices)
    response_amount = models.PositiveSmallIntegerField(_("first response within"))
    response_due_at = models.DateTimeField(_("first response due"))
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    # When a quarter of each clock is left: the reminder task reads only cases whose time has come.
    response_remind_at = models.DateTimeField(_("first response reminder at"), null=True, blank=True,
                                              db_index=True)
    resolution_unit = models.CharField(_("resolution counted in"), max_length=20, choices=ClockUnit.choices)
    resolution_amount = models.PositiveSmallIntegerField(_("resolution within"))
    resolution_due_at = models.DateTimeField(_("resolution due"), db_index=True)
    resolution_remind_at = models.DateTimeField(_("resolution reminder at"), null=True, blank=True,
                                                db_index=True)
    due_fixed = models.BooleanField(_("due date set by hand"), default=False)
    resolved_at = models.DateTimeField(_("done at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    answer = models.TextField(_("answer to the requester"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    preventive_action = models.TextField(_("preventive action"), blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the service"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    # Field visits and audit findings.
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="items",
                              verbose_name=_("field visit"))
    audit_report = models.ForeignKey(AuditReport, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="findings", verbose_name=_("audit report"))
    risk = models.CharField(_("risk level"), max_length=8, choices=Risk.choices, blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    agreed_action = models.TextField(_("agreed action"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-filed_at", "-pk"]
        permissions = [
            ("view_requester_identity", _("See the identity of anonymous requesters")),
            ("view_case_report", _("See service-desk and audit reports")),
            ("manage_visits", _("Manage field visits")),
            ("manage_audit", _("Manage audit findings")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="cases_case_rating_1_to_5",
                                   violation_error_message=_("The satisfaction score is from 1 to 5.")),
            models.CheckConstraint(condition=~Q(state="closed") | Q(closed_at__isnull=False),
                                   name="cases_case_closed_has_time",
                                   violation_error_message=_("A closed case records when it was closed.")),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(state__in=("resolved", "closed")),
                                   name="cases_case_rated_when_done",
                                   violation_error_message=_("Only a finished case can be rated.")),
            models.CheckConstraint(condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                                   name="cases_case_latitude_range",
                                   violation_error_message=_("Latitude is between -90 and 90.")),
            models.CheckConstraint(condition=Q(longitude__isnull=True)
                                   | Q(longitude__gte=-180, longitude__lte=180),
                                   name="cases_case_longitude_range",
                                   violation_error_message=_("Longitude is between -180 and 180.")),
            models.CheckConstraint(condition=~Q(kind="audit_finding") | Q(audit_report__isnull=False),
                                   name="cases_case_finding_has_report",
                                   violation_error_message=_("An audit finding belongs to an audit report.")),
            models.CheckConstraint(condition=~Q(kind="visit_item") | Q(visit__isnull=False),
                                   name="cases_case_visit_item_has_visit",
                                   violation_error_message=_("A visit item belongs to a field visit.")),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.RESOLVED, self.State.CLOSED)

    @property
    def is_citizen_case(self) -> bool:
        return self.kind in (self.Kind.REQUEST, self.Kind.COMPLAINT, self.Kind.SUGGESTION, self.Kind.COMPLIMENT)


class CasePause(models.Model):
    """A time the clocks stood still because the case waited for the requester."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(ended_at__isnull=True),
                                    name="cases_casepause_one_open_per_case",
                                    violation_error_message=_("The case is already paused.")),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="cases_casepause_ends_after_start",
                                   violation_error_message=_("A pause ends after it began.")),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.started_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    """A note on a case: internal (staff only) or public (the requester reads it on the tracking page)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    body = models.TextField(_("comment"))
    is_public = models.BooleanField(_("shown to the requester"), default=False)
    created_at = models.DateTimeField(_("written at"))
    event = models.CharField(max_length=30, blank=True)  # set for comments the system writes on a state change

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class Attachment(models.Model):
    """A photo or document of a case: before, after, or evidence of an audit finding."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("before")
        AFTER = "after", _("after")
        EVIDENCE = "evidence", _("evidence")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.BEFORE)
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    is_photo = models.BooleanField(default=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.file.name


class Alert(models.Model):
    """A reminder before a deadline or an escalation at breach, sent once (the unique constraint)."""

    class Clock(models.TextChoices):
        RESPONSE = "response", _("first response")
        RESOLUTION = "resolution", _("resolution")

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("reminder")
        ESCALATION = "escalation", _("escalation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    clock = models.CharField(max_length=10, choices=Clock.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()  # the due time the alert was about: a reopened case can be reminded again
    sent_at = models.DateTimeField()
    recipients = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        constraints = [
            models.UniqueConstraint(fields=["case", "clock", "kind", "due_at"], name="cases_alert_once",
                                    violation_error_message=_("This alert was already sent.")),
        ]

    def __str__(self):
        return f"{self.case_id} {self.clock} {self.kind}"


class EvidenceItem(TimeStampedModel):
    """One point of the GECC evidence checklist, kept as data with links to what proves it."""

    class Status(models.TextChoices):
        MET = "met", _("met")
        PARTIAL = "partial", _("partly met")
        NOT_MET = "not_met", _("not yet met")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    requirement = models.TextField(_("requirement"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NOT_MET)
    links = models.TextField(_("evidence links"), blank=True, help_text=_("One address or page path a line."))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GECC evidence item")
        verbose_name_plural = _("GECC evidence items")
        ordering = ["order", "code"]

    def __str__(self):
        return self.requirement[:60]

    @property
    def link_list(self) -> list[str]:
        # Only web addresses and paths of this site: a "javascript:" line is never a link.
        return [line.strip() for line in self.links.splitlines()
                if line.strip().startswith(("https://", "http://", "/"))]
