"""E-loans, e-holds, turnaways, reading positions and the e-lending limits per patron category."""
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .titles import Licence, Title

HOLD_ACTIVE = ("waiting", "ready")


class LendingPolicy(models.Model):
    """How many e-loans and e-holds a patron category may have at once, and for how long an e-loan runs.

    Counted apart from print loans. The row without a category is the default for every other category.
    """

    category = models.OneToOneField("circulation.PatronCategory", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="elending_policy", verbose_name=_("patron category"))
    max_loans = models.PositiveSmallIntegerField(_("e-loans at once"), default=5)
    max_holds = models.PositiveSmallIntegerField(_("e-holds at once"), default=5)
    loan_days = models.PositiveSmallIntegerField(_("e-loan length (days)"), default=14)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("e-lending limits")
        verbose_name_plural = _("e-lending limits")
        constraints = [
            models.UniqueConstraint(fields=["category"], condition=Q(category__isnull=True),
                                    name="elibrary_lendingpolicy_one_default",
                                    violation_error_message=_("There is already a default row.")),
            models.CheckConstraint(condition=Q(loan_days__gte=1, loan_days__lte=90),
                                   name="elibrary_lendingpolicy_loan_days",
                                   violation_error_message=_("An e-loan lasts 1 to 90 days.")),
        ]

    def __str__(self):
        return str(self.category) if self.category_id else str(_("default"))


class ELoanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(returned_at__isnull=True)


class ELoan(models.Model):
    """One patron reading one title under one licence (and seat) from ``started_at`` to ``ends_at``."""

    class Ended(models.TextChoices):
        RETURNED = "returned", _("returned early")
        EXPIRED = "expired", _("ended at the end of the loan")

    class Channel(models.TextChoices):
        WEB = "web", _("website")
        OPDS = "opds", _("reading app (OPDS)")
        API = "api", _("API")

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="loans", verbose_name=_("title"))
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="loans", verbose_name=_("licence"))
    seat = models.PositiveIntegerField(_("copy or seat"), null=True, blank=True)
    patron = models.ForeignKey("circulation.Patron", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="eloans", verbose_name=_("patron"))
    reader_key = models.CharField(_("reader key (for counting unique readers)"), max_length=32)
    category = models.ForeignKey("circulation.PatronCategory", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("patron category"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    started_at = models.DateTimeField(_("borrowed at"))
    ends_at = models.DateTimeField(_("ends at"))
    returned_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended = models.CharField(_("how it ended"), max_length=10, choices=Ended.choices, blank=True)
    history = HistoricalRecords()

    objects = ELoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-loan")
        verbose_name_plural = _("e-loans")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["ends_at"], condition=Q(returned_at__isnull=True), name="elib_eloan_due"),
            models.Index(fields=["title", "started_at"], name="elib_eloan_title_time"),
            models.Index(fields=["patron"], condition=Q(returned_at__isnull=True), name="elib_eloan_patron_active"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["licence", "seat"], condition=Q(returned_at__isnull=True, seat__isnull=False),
                                    name="elibrary_eloan_one_reader_per_seat",
                                    violation_error_message=_("This copy is already lent.")),
            models.UniqueConstraint(fields=["patron", "title"], condition=Q(returned_at__isnull=True),
                                    name="elibrary_eloan_once_per_patron",
                                    violation_error_message=_("You have already borrowed this title.")),
            models.CheckConstraint(condition=Q(ends_at__gt=F("started_at")), name="elibrary_eloan_ends_after_start",
                                   violation_error_message=_("A loan must end after it starts.")),
            models.CheckConstraint(condition=Q(seat__isnull=True) | Q(seat__gte=1), name="elibrary_eloan_seat_positive",
                                   violation_error_message=_("Seats are numbered from 1.")),
            models.CheckConstraint(condition=Q(returned_at__isnull=True, ended="")
                                   | Q(returned_at__isnull=False) & ~Q(ended=""),
                                   name="elibrary_eloan_ended_with_reason",
                                   violation_error_message=_("An ended loan says how it ended.")),
        ]

    def __str__(self):
        return f"{self.title} ({self.started_at:%Y-%m-%d})"


class EHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=HOLD_ACTIVE)


class EHold(models.Model):
    """A patron's place in the queue for a title; when a copy frees it is kept for them for 48 hours."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        READY = "ready", _("ready to borrow")
        BORROWED = "borrowed", _("borrowed")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("not borrowed in time")

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="holds", verbose_name=_("title"))
    patron = models.ForeignKey("circulation.Patron", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="eholds", verbose_name=_("patron"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    placed_at = models.DateTimeField(_("placed at"))
    ready_at = models.DateTimeField(_("ready since"), null=True, blank=True)
    expires_at = models.DateTimeField(_("keep until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = EHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-hold")
        verbose_name_plural = _("e-holds")
        ordering = ["placed_at", "id"]
        indexes = [models.Index(fields=["title", "status", "placed_at"], name="elib_ehold_queue")]
        constraints = [
            models.UniqueConstraint(fields=["patron", "title"], condition=Q(status__in=HOLD_ACTIVE),
                                    name="elibrary_ehold_once_per_patron",
                                    violation_error_message=_("You already have a hold on this title.")),
            models.CheckConstraint(condition=~Q(status="ready") | Q(expires_at__isnull=False, ready_at__isnull=False),
                                   name="elibrary_ehold_ready_has_deadline",
                                   violation_error_message=_("A ready hold needs its pickup deadline.")),
        ]

    def __str__(self):
        return f"{self.title} · {self.get_status_display()}"


class Turnaway(models.Model):
    """A borrow refused because no copy was free: the demand the licences did not meet (no personal data)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="turnaways", verbose_name=_("title"))
    at = models.DateTimeField(_("at"))
    channel = models.CharField(_("channel"), max_length=8, choices=ELoan.Channel.choices, default=ELoan.Channel.WEB)

    class Meta:
        verbose_name = _("turnaway")
        verbose_name_plural = _("turnaways")
        indexes = [models.Index(fields=["title", "at"], name="elib_turnaway_title_time"),
                   models.Index(fields=["at"], name="elib_turnaway_time")]

    def __str__(self):
        return f"{self.title} {self.at:%Y-%m-%d %H:%M}"


class ReadingPosition(models.Model):
    """Where a patron stopped reading a title in the browser reader (an EPUB CFI)."""

    patron = models.ForeignKey("circulation.Patron", on_delete=models.CASCADE, related_name="reading_positions",
                               verbose_name=_("patron"))
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="+", verbose_name=_("title"))
    location = models.CharField(_("position (EPUB CFI)"), max_length=500)
    progress = models.FloatField(_("progress (0-1)"), default=0)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("reading position")
        verbose_name_plural = _("reading positions")
        constraints = [
            models.UniqueConstraint(fields=["patron", "title"], name="elibrary_readingposition_once",
                                    violation_error_message=_("One reading position per reader and title.")),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=1), name="elibrary_readingposition_progress",
                                   violation_error_message=_("Progress is between 0 and 1.")),
        ]

    def __str__(self):
        return f"{self.title}: {self.progress:.0%}"
