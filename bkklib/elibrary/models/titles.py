"""E-book and audiobook titles (each linked to a catalog record) and the licences they are lent under."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TitleQuerySet(models.QuerySet):
    def lendable(self):
        """Titles a reader can see: not withdrawn."""
        return self.filter(withdrawn=False)


class Title(models.Model):
    """One e-book or audiobook: its metadata (from the file), its stored file or streaming link, its record."""

    class Format(models.TextChoices):
        EPUB = "epub", _("EPUB e-book")
        PDF = "pdf", _("PDF e-book")
        AUDIO = "audio", _("audiobook file")
        STREAM = "stream", _("audiobook (streaming link)")

    FILE_FORMATS = ("epub", "pdf", "audio")

    record = models.ForeignKey("catalog.Record", on_delete=models.PROTECT, related_name="etitles",
                               verbose_name=_("catalog record"))
    title = models.CharField(_("title"), max_length=500)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True, help_text=_("BCP 47 code: th, en..."))
    identifier = models.CharField(_("identifier"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN-13"), max_length=13, blank=True, db_index=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year published (CE)"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    file_path = models.CharField(_("stored file"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    cover_path = models.CharField(_("stored cover"), max_length=300, blank=True)
    cover_type = models.CharField(_("cover media type"), max_length=50, blank=True)
    stream_url = models.URLField(_("streaming link"), max_length=500, blank=True)
    loans_count = models.PositiveIntegerField(_("loans so far"), default=0)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    history = HistoricalRecords()

    objects = TitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-library title")
        verbose_name_plural = _("e-library titles")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="elib_title_new"),
            models.Index(fields=["-loans_count", "-id"], name="elib_title_popular"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="elibrary_title_has_title",
                                   violation_error_message=_("An e-book needs a title.")),
            models.CheckConstraint(
                condition=Q(format="stream", stream_url__gt="")
                | Q(format__in=("epub", "pdf", "audio"), file_path__gt="", sha256__gt=""),
                name="elibrary_title_has_content",
                violation_error_message=_("A title needs its stored file (with its SHA-256) or a streaming link."),
            ),
            models.UniqueConstraint(fields=["sha256"], condition=~Q(sha256=""), name="elibrary_title_file_once",
                                    violation_error_message=_("This file is already in the e-library.")),
        ]

    def __str__(self):
        return self.title

    @property
    def is_audio(self) -> bool:
        return self.format in (self.Format.AUDIO, self.Format.STREAM)


class TitleSubject(models.Model):
    """One subject of a title, a row of its own so feeds by subject use an index on both databases."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="subject_rows")
    name = models.CharField(_("subject"), max_length=200)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        indexes = [models.Index(fields=["name", "title"], name="elib_subject_name")]
        constraints = [models.UniqueConstraint(fields=["title", "name"], name="elibrary_titlesubject_once",
                                               violation_error_message=_("This subject is already given."))]

    def __str__(self):
        return self.name


class LicenceQuerySet(models.QuerySet):
    def in_force(self, today):
        """Licences that have started, not expired and (metered) still have loans."""
        return self.filter(Q(starts_on__lte=today), Q(expires_on__isnull=True) | Q(expires_on__gte=today)).filter(
            Q(loans_total__isnull=True) | Q(loans_used__lt=F("loans_total")))


class Licence(models.Model):
    """What a vendor allows for one title: N copies for ever, metered by loans and/or time, N seats, open access."""

    class Kind(models.TextChoices):
        PERPETUAL = "perpetual", _("perpetual, one copy one user")
        METERED = "metered", _("metered (loans and/or time)")
        CONCURRENT = "concurrent", _("concurrent seats")
        OPEN = "open", _("open access")

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="licences", verbose_name=_("title"))
    kind = models.CharField(_("licence model"), max_length=12, choices=Kind.choices)
    copies = models.PositiveIntegerField(_("copies or seats"), null=True, blank=True,
                                         help_text=_("How many readers at once; empty for open access."))
    loans_total = models.PositiveIntegerField(_("loans allowed"), null=True, blank=True)
    loans_used = models.PositiveIntegerField(_("loans used"), default=0)
    starts_on = models.DateField(_("starts on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    price = models.DecimalField(_("price (baht)"), max_digits=10, decimal_places=2, default=0)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    reference = models.CharField(_("vendor's licence reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["title_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="open", copies__isnull=True) | (~Q(kind="open") & Q(copies__gte=1)),
                name="elibrary_licence_copies",
                violation_error_message=_("Open access has no copy count; every other licence needs at least one."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="metered") | Q(loans_total__isnull=False) | Q(expires_on__isnull=False),
                name="elibrary_licence_metered_has_limit",
                violation_error_message=_("A metered licence needs a number of loans, an end date or both."),
            ),
            models.CheckConstraint(
                condition=Q(loans_total__isnull=True) | Q(loans_used__lte=F("loans_total")),
                name="elibrary_licence_loans_within_total",
                violation_error_message=_("A licence cannot lend more than the loans it allows."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("starts_on")),
                name="elibrary_licence_dates_in_order",
                violation_error_message=_("A licence cannot expire before it starts."),
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="elibrary_licence_price_not_negative",
                                   violation_error_message=_("A price cannot be negative.")),
            models.UniqueConstraint(fields=["vendor", "reference"], condition=~Q(reference=""),
                                    name="elibrary_licence_reference_once",
                                    violation_error_message=_("This vendor's licence reference is already recorded.")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"
