"""Spaces, their booking rules, bookings (including blocks for maintenance or events) and suspensions."""
from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

# Statuses that hold the space: the overlap constraint and the free/taken grid count only these.
ACTIVE_STATUSES = ("pending", "confirmed", "checked_in")
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud at a desk


def new_code() -> str:
    """Return a fresh booking code (8 characters, printed as a QR and read aloud at the desk)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Space(TimeStampedModel):
    """A desk, room or venue of a branch that can be booked (by the public or by staff only)."""

    class Kind(models.TextChoices):
        DESK = "desk", _("co-working desk")
        MEETING_ROOM = "meeting_room", _("meeting room")
        ACTIVITY_ROOM = "activity_room", _("activity room")
        MAKERSPACE = "makerspace", _("makerspace")
        EXHIBITION = "exhibition", _("exhibition / creative space")
        OUTDOOR = "outdoor", _("outdoor area")

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="spaces",
                               verbose_name=_("branch"))
    code = models.SlugField(_("code"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), default=1)
    features = models.CharField(_("features"), max_length=300, blank=True,
                                help_text=_("Comma-separated: power socket, projector, whiteboard…"))
    is_step_free = models.BooleanField(_("step-free access"), default=False)
    has_accessible_toilet = models.BooleanField(_("accessible toilet nearby"), default=False)
    is_public = models.BooleanField(_("the public may book it"), default=True,
                                    help_text=_("Unticked: only staff book it (for patrons or activities)."))
    is_active = models.BooleanField(_("in use"), default=True)
    description = models.TextField(_("description"), blank=True)
    photo = models.FileField(_("photo"), upload_to="spaces/", blank=True)
    checkin_token = models.CharField(_("check-in QR token"), max_length=40, unique=True, default=new_token,
                                     editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["branch", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "code"], name="spaces_space_code_per_branch",
                                    violation_error_message=_("This branch already has a space with this code.")),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="spaces_space_capacity_positive",
                                   violation_error_message=_("A space holds at least one person.")),
        ]

    def __str__(self):
        return self.name_th

    @property
    def feature_list(self) -> list[str]:
        return [f.strip() for f in self.features.split(",") if f.strip()]


class SpaceRule(TimeStampedModel):
    """Booking rules for a kind of space at a branch; empty branch or kind: the default for all.

    The most specific row applies (branch and kind, then branch, then kind, then the network default).
    """

    branch = models.ForeignKey("network.Branch", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="space_rules", verbose_name=_("branch"),
                               help_text=_("Empty: every branch."))
    kind = models.CharField(_("kind of space"), max_length=20, choices=Space.Kind.choices, blank=True,
                            help_text=_("Empty: every kind."))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=60)
    window_days = models.PositiveSmallIntegerField(_("bookable up to (days ahead)"), default=14)
    min_notice_minutes = models.PositiveIntegerField(_("minimum notice (minutes)"), default=0)
    max_hours_per_day = models.PositiveSmallIntegerField(_("maximum hours per patron per day"), default=4)
    max_hours_per_week = models.PositiveSmallIntegerField(_("maximum hours per patron per week"), default=12)
    categories = models.ManyToManyField("circulation.PatronCategory", blank=True, related_name="+",
                                        verbose_name=_("patron categories who may book"),
                                        help_text=_("None chosen: every category."))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    requires_approval = models.BooleanField(_("staff approve each booking"), default=False)
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer between bookings (minutes)"), default=0)
    cancel_cutoff_minutes = models.PositiveIntegerField(_("patron may cancel until (minutes before)"), default=60)
    release_after_minutes = models.PositiveSmallIntegerField(_("release if not checked in after (minutes)"),
                                                             default=15)
    no_show_limit = models.PositiveSmallIntegerField(_("no-shows before suspension"), default=3,
                                                     help_text=_("0: never suspend."))
    no_show_period_days = models.PositiveSmallIntegerField(_("counted over (days)"), default=30)
    suspension_days = models.PositiveSmallIntegerField(_("suspension (days)"), default=14)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking rule")
        verbose_name_plural = _("booking rules")
        ordering = ["branch", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "kind"], condition=Q(branch__isnull=False),
                                    name="spaces_spacerule_one_per_branch_kind",
                                    violation_error_message=_("This branch already has a rule for this kind.")),
            models.UniqueConstraint(fields=["kind"], condition=Q(branch__isnull=True),
                                    name="spaces_spacerule_one_default_per_kind",
                                    violation_error_message=_("There is already a network rule for this kind.")),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=1440),
                                   name="spaces_spacerule_slot_length",
                                   violation_error_message=_("A slot lasts 5 minutes to one day.")),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="spaces_spacerule_window_positive",
                                   violation_error_message=_("The booking window is at least one day.")),
            models.CheckConstraint(condition=Q(max_hours_per_week__gte=F("max_hours_per_day")),
                                   name="spaces_spacerule_week_covers_day",
                                   violation_error_message=_("The weekly limit cannot be below the daily limit.")),
        ]

    def __str__(self):
        return f"{self.branch or _('every branch')} · {self.get_kind_display() or _('every kind')}"


class BookingQuerySet(models.QuerySet):
    def active(self) -> BookingQuerySet:
        """Bookings that hold their space (waiting for approval, confirmed, checked in)."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def overlapping(self, start: datetime, end: datetime) -> BookingQuerySet:
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Booking(models.Model):
    """A space held for a time: a patron's booking, a walk-in booked by staff, or a block (maintenance, event)."""

    class Kind(models.TextChoices):
        ONLINE = "online", _("booked online")
        STAFF = "staff", _("booked by staff")
        BLOCK = "block", _("blocked")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        CONFIRMED = "confirmed", _("confirmed")
        CHECKED_IN = "checked_in", _("checked in")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("no-show (released)")
        REJECTED = "rejected", _("not approved")

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("space"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))  # the space's, kept for branch scoping and figures
    patron = models.ForeignKey("circulation.Patron", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="space_bookings", verbose_name=_("patron"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ONLINE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED,
                              db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    reason = models.CharField(_("reason for the block"), max_length=200, blank=True)
    code = models.CharField(_("booking code"), max_length=12, unique=True, default=new_code, editable=False)
    series = models.UUIDField(_("repeat series"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("booked at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("booked by (staff)"))
    checked_in_at = models.DateTimeField(pgettext_lazy("space booking", "checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=pgettext_lazy("space booking", "checked in by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "space"]
        indexes = [models.Index(fields=["space", "starts_at"]), models.Index(fields=["branch", "starts_at"]),
                   models.Index(fields=["patron", "starts_at"])]
        permissions = [("approve_booking", _("Can approve or refuse bookings that need approval")),
                       ("block_space", _("Can block a space (maintenance, events)")),
                       ("view_space_report", _("Can see space use reports"))]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="spaces_booking_ends_after_starts",
                                   violation_error_message=_("A booking must end after it starts.")),
            models.CheckConstraint(condition=Q(people__gte=1), name="spaces_booking_people_positive",
                                   violation_error_message=_("A booking is for at least one person.")),
            models.CheckConstraint(condition=Q(kind="block") | Q(patron__isnull=False),
                                   name="spaces_booking_patron_unless_block",
                                   violation_error_message=_("A booking other than a block is for a patron.")),
            models.CheckConstraint(condition=Q(status="checked_in", checked_in_at__isnull=False)
                                   | ~Q(status="checked_in"), name="spaces_booking_checked_in_has_time",
                                   violation_error_message=_("A checked-in booking records when.")),
            # On PostgreSQL, migration 0002 adds spaces_booking_no_overlap: an EXCLUDE USING gist over
            # (space_id =, tstzrange(starts_at, ends_at) &&) for the active statuses. SQLite has no
            # exclusion constraints; there the services' guarded write (BEGIN IMMEDIATE) keeps it.
        ]

    def __str__(self):
        return f"{self.space} {self.starts_at:%Y-%m-%d %H:%M} ({self.code})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class BookingSuspension(models.Model):
    """A patron may not book spaces from ``starts_on`` to ``ends_on`` (repeated no-shows, or staff's decision)."""

    patron = models.ForeignKey("circulation.Patron", on_delete=models.CASCADE, related_name="space_suspensions",
                               verbose_name=_("patron"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking suspension")
        verbose_name_plural = _("booking suspensions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="spaces_bookingsuspension_dates",
                                   violation_error_message=_("A suspension cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.patron} {self.starts_on}–{self.ends_on}"
