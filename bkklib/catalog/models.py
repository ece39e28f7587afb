"""The catalog: bibliographic records (full MARC 21 plus extracted fields) and the items that carry them."""
from django.conf import settings
from django.core.cache import cache
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from .constants import BARCODE_PATTERN

barcode_validator = RegexValidator(
    BARCODE_PATTERN,
    _("A barcode is 4 to 32 letters, digits or dashes, without spaces (e.g. 31000012345678)."),
    code="invalid_barcode",
)


class MaterialType(models.TextChoices):
    """What a record describes, from leader/06-07 (the facet "material type")."""

    BOOK = "book", _("book")
    SERIAL = "serial", _("serial")
    MAP = "map", _("map")
    SCORE = "score", _("music score")
    SOUND = "sound", _("sound recording")
    MUSIC = "music", _("music recording")
    VIDEO = "video", _("video")
    IMAGE = "image", _("picture")
    COMPUTER_FILE = "computer_file", _("computer file / e-resource")
    KIT = "kit", _("kit")
    OBJECT = "object", _("object")
    MIXED = "mixed", _("mixed materials")
    MANUSCRIPT = "manuscript", _("manuscript")


class Record(TimeStampedModel):
    """A bibliographic record: the full MARC 21 record and the fields extracted for display and sort.

    ``marc`` is MARC-in-JSON (``{"leader": ..., "fields": [{"001": "..."}, {"245": {"ind1": ...,
    "ind2": ..., "subfields": [{"a": ...}]}}]}``), always Unicode (NFC as imported). The other
    columns are derived from it by ``marc.extract`` whenever it is saved. Year, language and
    material type have no index here: filtering and faceting by them is the search index's work
    (``search.SearchDoc``), and each index is written for every record a bulk import adds.
    """

    marc = models.JSONField(_("MARC record"))
    title = models.TextField(_("title"), blank=True)
    responsibility = models.TextField(_("statement of responsibility"), blank=True)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    publisher = models.CharField(_("publisher"), max_length=500, blank=True)
    place = models.CharField(_("place of publication"), max_length=300, blank=True)
    # One normalised year for sort, filters and facets (CE), and the year as the record gives it for
    # people (BE for a Thai imprint: "2555"); both from marc.extract (008/07-10, 264/260 $c).
    year = models.PositiveSmallIntegerField(_("year (CE)"), null=True, blank=True)
    display_year = models.PositiveSmallIntegerField(_("year as published"), null=True, blank=True)
    edition = models.CharField(_("edition"), max_length=300, blank=True)
    isbns = models.JSONField(_("ISBNs (ISBN-13)"), default=list, blank=True)
    language = models.CharField(_("language (MARC code)"), max_length=3, blank=True)
    material_type = models.CharField(
        _("material type"), max_length=20, choices=MaterialType.choices, default=MaterialType.BOOK
    )
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    series = models.JSONField(_("series"), default=list, blank=True)
    classification = models.CharField(_("classification"), max_length=100, blank=True)
    call_number = models.CharField(_("call number"), max_length=100, blank=True)
    # 880 alternate graphic representations by linked tag: {"245": ["ลุงบุญมีระลึกชาติ."], ...}.
    vernacular = models.JSONField(_("vernacular (880) fields"), default=dict, blank=True)
    control_number = models.CharField(_("control number (001)"), max_length=60, blank=True)
    control_agency = models.CharField(_("control number identifier (003)"), max_length=60, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    import_job = models.ForeignKey(
        "catalog.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="records",
        verbose_name=_("import job"),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("bibliographic record")
        verbose_name_plural = _("bibliographic records")
        ordering = ["pk"]
        permissions = [
            ("import_marc", _("Can import MARC files")),
            ("export_marc", _("Can export MARC records")),
        ]

    def __str__(self):
        return self.title or f"#{self.pk}"


class RecordIdentifier(models.Model):
    """A key that identifies a record across systems, for duplicate matching on import.

    ``control`` is ``003|001`` (the agency may be empty), ``system`` a 035 $a, ``isbn`` an ISBN-13.
    """

    class Kind(models.TextChoices):
        CONTROL = "control", _("control number (003+001)")
        SYSTEM = "system", _("system control number (035)")
        ISBN = "isbn", _("ISBN-13")

    # No index of its own: the unique (record, kind, value) below serves lookups by record.
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="identifiers", db_index=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=120)

    class Meta:
        verbose_name = _("record identifier")
        verbose_name_plural = _("record identifiers")
        indexes = [models.Index(fields=["kind", "value"], name="catalog_recid_kind_value")]
        constraints = [
            models.UniqueConstraint(fields=["record", "kind", "value"], name="catalog_recordidentifier_once"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.value}"


class ItemType(models.Model):
    """A kind of item librarians configure (book, reference, magazine...); loan rules key on it."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item type")
        verbose_name_plural = _("item types")
        ordering = ["code"]

    def __str__(self):
        return self.name_th


class ShelvingLocation(models.Model):
    """The name readers and staff see for a shelving-location code (GEN, REF, CHILD...).

    Items keep the code their records bring (MARC 952 $c, Koha's LOC values), so an import never
    fails on a code nobody named yet; a code without a row here is shown as it is.
    """

    code = models.CharField(_("code"), max_length=100, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("shelving location")
        verbose_name_plural = _("shelving locations")
        ordering = ["code"]

    def __str__(self):
        return self.name_th

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(SHELVING_NAMES_CACHE_KEY)

    def delete(self, *args, **kwargs):
        cache.delete(SHELVING_NAMES_CACHE_KEY)
        return super().delete(*args, **kwargs)


SHELVING_NAMES_CACHE_KEY = "catalog:shelving-location-names"


class Item(TimeStampedModel):
    """One physical copy of a record, kept at a branch and identified by its barcode."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("available")
        ON_LOAN = "on_loan", _("on loan")
        IN_TRANSIT = "in_transit", _("in transit")
        ON_HOLD_SHELF = "on_hold_shelf", _("on hold shelf")
        LOST = "lost", _("lost")
        MISSING = "missing", _("missing")
        CLAIMS_RETURNED = "claims_returned", _("claims returned")
        DAMAGED = "damaged", _("damaged")
        WITHDRAWN = "withdrawn", _("withdrawn")
        IN_REPAIR = "in_repair", _("in repair")
        IN_PROCESSING = "in_processing", _("in processing")  # received, not yet catalogued (acquisitions)

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="items", verbose_name=_("record"))
    barcode = models.CharField(_("barcode"), max_length=32, validators=[barcode_validator])  # unique: Meta
    branch = models.ForeignKey(  # indexed by (branch, shelving_location) in Meta
        "network.Branch", on_delete=models.PROTECT, related_name="items", verbose_name=_("branch"), db_index=False
    )
    shelving_location = models.CharField(_("shelving location"), max_length=100, blank=True)
    call_number = models.CharField(_("call number"), max_length=100, blank=True)
    item_type = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="items", verbose_name=_("item type"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    price = models.DecimalField(_("price (baht)"), max_digits=10, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["barcode"]
        # Indexes and uniqueness are declared here rather than on the fields: on PostgreSQL a field's
        # unique=True or db_index=True adds a second, varchar_pattern_ops index for LIKE that nothing
        # queries, and every index is written for each of the millions of items a bulk import adds.
        indexes = [
            models.Index(fields=["branch", "shelving_location"], name="catalog_item_branch_shelf"),
            models.Index(fields=["status"], name="catalog_item_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["barcode"], name="catalog_item_barcode_unique"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="catalog_item_price_not_negative"
            ),
            models.CheckConstraint(condition=~Q(barcode=""), name="catalog_item_barcode_not_empty"),
        ]

    def __str__(self):
        return self.barcode

    @property
    def effective_call_number(self) -> str:
        """Return the item's own call number, else its record's."""
        return self.call_number or (self.record.call_number if self.record_id else "")


class ImportJob(TimeStampedModel):
    """One MARC import (command line or staff upload): its options, progress and report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class OnDuplicate(models.TextChoices):
        SKIP = "skip", _("skip the incoming record")
        OVERLAY = "overlay", _("overlay the existing record")
        NEW = "new", _("create a new record anyway")

    file = models.FileField(_("file"), upload_to="catalog/imports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, default="auto")
    encoding = models.CharField(_("encoding"), max_length=20, default="auto")
    branch = models.ForeignKey(
        "network.Branch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("branch for holdings"),
    )
    on_duplicate = models.CharField(_("when a record exists"), max_length=8, choices=OnDuplicate.choices,
                                    default=OnDuplicate.SKIP)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    read = models.PositiveIntegerField(_("read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    overlaid = models.PositiveIntegerField(_("overlaid"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    items_created = models.PositiveIntegerField(_("items created"), default=0)
    total_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    done_bytes = models.PositiveBigIntegerField(_("bytes read"), default=0)
    report = models.TextField(_("report"), blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        verbose_name = _("MARC import")
        verbose_name_plural = _("MARC imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """Return progress through the file as a whole percentage."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total_bytes:
            return 0
        return min(100, int(100 * self.done_bytes / self.total_bytes))


class Stocktake(TimeStampedModel):
    """A count of a branch's shelves (one shelving location, or all of them) by scanning every item found."""

    class Status(models.TextChoices):
        OPEN = "open", _("scanning")
        CLOSED = "closed", _("closed")

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="stocktakes",
                               verbose_name=_("branch"))
    shelving_location = models.CharField(_("shelving location"), max_length=100, blank=True,
                                         help_text=_("Empty to count the whole branch."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("started by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    missing_marked = models.PositiveIntegerField(_("items marked missing"), default=0)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-created_at"]

    def __str__(self):
        where = f" · {self.shelving_location}" if self.shelving_location else ""
        return f"{self.branch}{where} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.branch)


class StocktakeScan(models.Model):
    """One barcode scanned during a stocktake (scanning twice counts once)."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="scans")
    barcode = models.CharField(_("barcode"), max_length=32)
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    scanned_at = models.DateTimeField(_("scanned at"), auto_now_add=True)
    scanned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("stocktake scan")
        verbose_name_plural = _("stocktake scans")
        ordering = ["-scanned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "barcode"], name="catalog_stocktakescan_once"),
        ]

    def __str__(self):
        return self.barcode


class Withdrawal(TimeStampedModel):
    """A request to withdraw (and dispose of) an item, decided by a second person with the right to approve."""

    class Reason(models.TextChoices):
        DAMAGED = "damaged", _("damaged beyond repair")
        WORN = "worn", _("worn out")
        OUTDATED = "outdated", _("outdated content")
        DUPLICATE = "duplicate", _("surplus copy")
        LOW_USE = "low_use", _("not used")
        LOST = "lost", _("lost and not found")
        OTHER = "other", _("other (see note)")

    class Disposal(models.TextChoices):
        DISCARD = "discard", _("discard / recycle")
        DONATE = "donate", _("donate (e.g. to a reading house or school)")
        SELL = "sell", _("sell")
        TRANSFER = "transfer", _("transfer to another library")
        NONE = "none", _("none (item lost)")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="withdrawals", verbose_name=_("item"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    disposal = models.CharField(_("disposal"), max_length=10, choices=Disposal.choices)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at"]
        permissions = [("approve_withdrawal", _("Can approve the withdrawal of items"))]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(status="pending"),
                                    name="catalog_withdrawal_one_pending_per_item"),
            # Four eyes: whoever asks may not approve or reject their own request.
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                                   name="catalog_withdrawal_decided_by_another"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True) | Q(~Q(status="pending"), decided_at__isnull=False),
                name="catalog_withdrawal_decided_when_not_pending",
            ),
        ]

    def __str__(self):
        return f"{self.item} — {self.get_reason_display()}"
