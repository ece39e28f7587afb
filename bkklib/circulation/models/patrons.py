"""Patrons and their membership: categories, fee tiers, identity, consent (PDPA) and blocks."""
from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from .. import rules

# A card number is what the desk scanner reads: 4 to 32 letters, digits or dashes.
card_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9\-]{2,30}[A-Za-z0-9]$",
    _("A card number is 4 to 32 letters, digits or dashes, without spaces (e.g. 2000012345678)."),
    code="invalid_card_number",
)
ZERO = 0


class PatronCategory(models.Model):
    """A kind of member (child, student, adult, senior, staff, institution...), configured by admins."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    requires_guardian = models.BooleanField(
        _("requires a guardian"), default=False,
        help_text=_("Children: a guardian is linked and gives the PDPA consent."),
    )
    is_institution = models.BooleanField(_("institution"), default=False)
    card_valid_years = models.PositiveSmallIntegerField(_("card valid for (years)"), default=1,
                                                        validators=[MinValueValidator(1)])
    fines_block_amount = models.DecimalField(
        _("block at debt of (baht)"), max_digits=8, decimal_places=2, default=100,
        help_text=_("Borrowing stops once unpaid fines and fees reach this amount (0: never)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patron category")
        verbose_name_plural = _("patron categories")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(fines_block_amount__gte=0), name="circulation_category_block_not_negative"),
        ]

    def __str__(self):
        return self.name_th


class FeeTier(models.Model):
    """An annual membership fee for an age range, for every category or for one (e.g. under 5: 10 baht)."""

    category = models.ForeignKey(PatronCategory, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="fee_tiers", verbose_name=_("category"),
                                 help_text=_("Empty: applies to every category."))
    min_age = models.PositiveSmallIntegerField(_("from age"), default=0)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True,
                                               help_text=_("Empty: no upper limit."))
    annual_fee = models.DecimalField(_("annual fee (baht)"), max_digits=8, decimal_places=2,
                                     validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership fee tier")
        verbose_name_plural = _("membership fee tiers")
        ordering = ["category", "min_age"]
        constraints = [
            models.CheckConstraint(condition=Q(annual_fee__gte=0), name="circulation_feetier_fee_not_negative"),
            models.CheckConstraint(condition=Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                                   name="circulation_feetier_age_range"),
        ]

    def __str__(self):
        upper = self.max_age if self.max_age is not None else "+"
        return f"{self.min_age}–{upper}: {self.annual_fee}"


class Patron(TimeStampedModel):
    """A member of the library network: one card for every BMA library and reading house.

    Personal data is held for the purposes recorded in ``Consent`` (PDPA). An erased patron keeps
    its row (receipts and statistics point to it) with every personal field emptied.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending approval")
        ACTIVE = "active", _("active")
        ERASED = "erased", _("erased (PDPA)")

    class IdType(models.TextChoices):
        THAI_ID = "thai_id", _("Thai national ID")
        PASSPORT = "passport", _("passport")
        OTHER = "other", _("other document (institution, school letter)")

    card_number = models.CharField(_("card number"), max_length=32, unique=True, validators=[card_validator])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    category = models.ForeignKey(PatronCategory, on_delete=models.PROTECT, related_name="patrons",
                                 verbose_name=_("category"))
    home_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="patrons",
                                    verbose_name=_("home branch"))
    first_name_th = models.CharField(_("first name (Thai)"), max_length=100, blank=True)
    last_name_th = models.CharField(_("last name (Thai)"), max_length=100, blank=True)
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True)
    id_type = models.CharField(_("identity document"), max_length=10, choices=IdType.choices, default=IdType.THAI_ID)
    national_id = models.CharField(_("Thai national ID"), max_length=13, blank=True, db_index=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    passport_country = models.CharField(_("passport country"), max_length=3, blank=True,
                                        help_text=_("ISO 3166 code, e.g. JPN, USA."))
    other_document = models.CharField(_("other document"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, blank=True)
    address = models.TextField(_("address"), blank=True)
    district = models.ForeignKey("network.District", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("district"))
    guardian = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="wards",
                                 verbose_name=_("guardian"))
    card_expires_on = models.DateField(_("card expires on"))
    language = models.CharField(_("language for notices"), max_length=8, choices=settings.LANGUAGES, default="th")
    notice_channels = models.JSONField(_("notice channels"), default=list, blank=True,
                                       help_text=_("Any of email, line, sms; empty: email when there is an address."))
    keeps_loan_history = models.BooleanField(
        _("keeps loan history"), default=False,
        help_text=_("The patron opted in to keep the list of past loans (otherwise anonymised after return)."),
    )
    pin_hash = models.CharField(_("PIN (hashed)"), max_length=128, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    registered_online = models.BooleanField(_("registered online"), default=False)
    note = models.TextField(_("staff note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["pin_hash", "created_at", "updated_at"])

    # Personal fields: exported on request, emptied on erasure, also in the audit history (PDPA).
    PERSONAL_FIELDS = (
        "first_name_th", "last_name_th", "first_name_en", "last_name_en", "national_id", "passport_number",
        "passport_country", "other_document", "birth_date", "phone", "email", "line_user_id", "address", "note",
    )

    class Meta:
        verbose_name = _("patron")
        verbose_name_plural = _("patrons")
        ordering = ["card_number"]
        permissions = [
            ("approve_patron", _("Can approve self-registered patrons after an ID check")),
            ("export_patron", _("Can export a patron's personal data (PDPA)")),
            ("erase_patron", _("Can erase a patron's personal data (PDPA)")),
            ("block_patron", _("Can block and unblock patrons")),
        ]
        indexes = [
            models.Index(fields=["last_name_th", "first_name_th"], name="circ_patron_name_th"),
            models.Index(fields=["last_name_en", "first_name_en"], name="circ_patron_name_en"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["national_id"], condition=~Q(national_id=""),
                                    name="circulation_patron_national_id_once",
                                    violation_error_message=_("Another patron already has this national ID.")),
            models.UniqueConstraint(fields=["passport_country", "passport_number"], condition=~Q(passport_number=""),
                                    name="circulation_patron_passport_once",
                                    violation_error_message=_("Another patron already has this passport.")),
            models.CheckConstraint(condition=~Q(card_number=""), name="circulation_patron_card_not_empty"),
            models.CheckConstraint(condition=~Q(guardian=models.F("pk")) | Q(guardian__isnull=True),
                                   name="circulation_patron_not_own_guardian"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.card_number})" if self.full_name else self.card_number

    @property
    def full_name(self) -> str:
        """Return the Thai name, else the English one."""
        thai = f"{self.first_name_th} {self.last_name_th}".strip()
        return thai or f"{self.first_name_en} {self.last_name_en}".strip()

    @property
    def full_name_en(self) -> str:
        return f"{self.first_name_en} {self.last_name_en}".strip() or self.full_name

    @property
    def masked_phone(self) -> str:
        """Return the phone number with only its first two and last four digits (``08x-xxx-5678``)."""
        return rules.mask_phone(self.phone)

    @property
    def masked_card(self) -> str:
        """Return the card number with only its last four characters, for printed slips."""
        return rules.mask_card(self.card_number)

    def card_expired(self, today: date) -> bool:
        return self.card_expires_on < today


class Consent(models.Model):
    """A PDPA consent: the purposes a patron (or a child's guardian) agreed to, when and how.

    A new row is written for every change, so the history of consent is the table itself; the
    latest row is the consent in force.
    """

    class Purpose(models.TextChoices):
        MEMBERSHIP = "membership", _("membership and lending (required)")
        NOTICES = "notices", _("reminders and notices about loans and holds")
        LOAN_HISTORY = "loan_history", _("keep my loan history")
        NEWS = "news", _("news and activities of the libraries")

    class Channel(models.TextChoices):
        DESK = "desk", _("at a library desk")
        ONLINE = "online", _("on the website")
        PAPER = "paper", _("on a paper form")

    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="consents")
    purposes = models.JSONField(_("purposes"), default=list)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    given_at = models.DateTimeField(_("given at"))
    given_by_guardian = models.ForeignKey(Patron, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                          verbose_name=_("given by guardian"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("PDPA consent")
        verbose_name_plural = _("PDPA consents")
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["patron", "-given_at"], name="circ_consent_latest")]

    def __str__(self):
        return f"{self.patron_id}: {', '.join(map(str, self.purpose_labels))} ({self.given_at:%Y-%m-%d})"

    @property
    def purpose_labels(self) -> list[str]:
        """Return the names of the purposes agreed to, in the current language (an unknown code as it is)."""
        labels = dict(self.Purpose.choices)
        return [labels.get(code, code) for code in self.purposes]


class PatronBlock(models.Model):
    """A manual block on a patron's card, with its reason, until a member of staff lifts it."""

    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="blocks")
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("blocked at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patron block")
        verbose_name_plural = _("patron blocks")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patron"], condition=Q(lifted_at__isnull=True), name="circ_block_active")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="circulation_block_has_reason"),
        ]

    def __str__(self):
        return f"{self.patron_id}: {self.reason}"
