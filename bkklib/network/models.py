"""The network registry: districts, branches, opening hours, closures, staff and their posts."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from .exceptions import closure_error

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{5,18}[0-9](\s*(ต่อ|ext\.?|x)\s*[0-9]{1,5})?$",
    _("Enter a phone number of digits, spaces or dashes, e.g. 02 225 7612 or 0812345678."),
    code="invalid_phone",
)


class District(models.Model):
    """One of Bangkok's 50 districts (เขต), code 1001–1050."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    postal_code = models.CharField(_("main postal code"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self):
        return self.name_th


class Service(models.Model):
    """A service a branch offers (co-working, e-library, children's area, parking...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_th"]

    def __str__(self):
        return self.name_th


class BranchHistorySnapshot(models.Model):
    """What a branch's history rows keep beyond the branch's own columns: its hours and services then.

    Hours are rows of their own and services a many-to-many; a snapshot on each history row of the
    branch lets the branch's history show their changes, in the same row as the save that made them.
    Filled by ``bkklib.network.history``; None on rows written before it (unknown).
    """

    opening_hours = models.JSONField(_("opening hours"), null=True, blank=True)
    services_offered = models.JSONField(_("services"), null=True, blank=True)

    class Meta:
        abstract = True


class Branch(TimeStampedModel):
    """A service point of the network: a library, a reading house, a mobile unit..."""

    class Kind(models.TextChoices):
        PUBLIC_LIBRARY = "public_library", _("public library")
        CITY_LIBRARY = "city_library", _("city library")
        LEARNING_CENTRE = "learning_centre", _("learning centre")
        READING_HOUSE = "reading_house", _("community reading house")
        MOBILE_UNIT = "mobile_unit", _("mobile library unit")
        MUSEUM = "museum", _("museum / creative space")
        OFFICE = "office", _("division or district office")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        TEMPORARILY_CLOSED = "temporarily_closed", _("temporarily closed")
        UNDER_RENOVATION = "under_renovation", _("under renovation")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="branches", verbose_name=_("district"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent branch")
    )
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    facebook = models.URLField(_("Facebook page"), blank=True)
    line_id = models.CharField(_("LINE official account"), max_length=60, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="branches", verbose_name=_("services"))
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Freshness of the basic data (division agenda item 3): who confirmed it, and when.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("verified by"),
    )
    changed_since_verified = models.BooleanField(_("edited since last verification"), default=False)
    history = HistoricalRecords(bases=[BranchHistorySnapshot])

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["code"]
        permissions = [
            ("act_at_all_branches", _("Can act at every branch of the network")),
            ("verify_branch", _("Can confirm a branch's basic data as correct")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="network_branch_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="network_branch_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name_th

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A branch cannot be its own parent.")})


class OpeningPeriod(models.Model):
    """One period a branch is open on a weekday (several per day allowed, e.g. a lunch break)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["branch", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="network_openingperiod_closes_after_opens",
                violation_error_message=_("Closing time must be later than opening time."),
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="network_openingperiod_weekday"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Closing time must be later than opening time.")})


class ClosureQuerySet(models.QuerySet):
    """The one home of "which closures shut these branches on these days"."""

    def overlapping(self, start: date, end: date, *, branches=None) -> ClosureQuerySet:
        """Closures touching ``start``..``end`` (both included).

        With ``branches`` (Branch objects or ids; one or many), only the network-wide closures and
        those of these branches; without, every closure.
        """
        rows = self.filter(starts_on__lte=end, ends_on__gte=start)
        if branches is None:
            return rows
        if isinstance(branches, (Branch, int)):
            branches = [branches]
        ids = [b.pk if isinstance(b, Branch) else b for b in branches]
        return rows.filter(Q(branch__isnull=True) | Q(branch_id__in=ids))


class Closure(TimeStampedModel):
    """Days a branch is closed; with no branch, the whole network (a public holiday)."""

    class Kind(models.TextChoices):
        PUBLIC_HOLIDAY = "public_holiday", _("public holiday")
        BRANCH = "branch", _("branch closure")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, null=True, blank=True, related_name="closures",
        help_text=_("Empty for a closure of the whole network."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BRANCH)
    starts_on = models.DateField(_("first closed day"))
    ends_on = models.DateField(_("last closed day"))
    reason_th = models.CharField(_("reason (Thai)"), max_length=200)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="network_closure_ends_after_starts",
                violation_error_message=_("The last closed day cannot be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.reason_th} ({self.starts_on}–{self.ends_on})"

    def clean(self):
        if self.starts_on and self.ends_on:
            error = closure_error(self.starts_on, self.ends_on)
            if error:
                raise ValidationError({"ends_on": error})

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class StaffMember(TimeStampedModel):
    """A person who works for the division (civil servant, employee, contractor).

    Personal fields (ID, birth date, home phone and address) are visible only with the
    ``network.view_staff_personal`` permission; PDPA purpose: employment administration.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff_member"
    )
    employee_code = models.CharField(_("employee code"), max_length=20, unique=True)
    first_name_th = models.CharField(_("first name (Thai)"), max_length=100)
    last_name_th = models.CharField(_("last name (Thai)"), max_length=100)
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True)
    work_email = models.EmailField(_("work email"), blank=True)
    work_phone = models.CharField(_("work phone"), max_length=40, blank=True, validators=[phone_validator])
    # Personal data (PDPA purpose: employment administration; restricted by permission).
    national_id = models.CharField(_("national ID"), max_length=13, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    home_phone = models.CharField(_("personal phone"), max_length=40, blank=True)
    home_address = models.TextField(_("home address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    PERSONAL_FIELDS = ("national_id", "birth_date", "home_phone", "home_address")
    PDPA_PURPOSE = _("Employment administration of division staff (PDPA section 24(3), contract and duty).")

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["employee_code"]
        permissions = [("view_staff_personal", _("Can view staff members' personal data"))]

    def __str__(self):
        return f"{self.first_name_th} {self.last_name_th}"


def active_on_q(day: date, prefix: str = "") -> Q:
    """The condition "assignment active on ``day``" (``prefix``: the path to the assignment, e.g. ``assignments__``)."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


class AssignmentQuerySet(models.QuerySet):
    """The one home of "which assignments are in effect"."""

    def active_on(self, day: date) -> AssignmentQuerySet:
        """Assignments in effect on ``day`` (an open-ended one runs until it is ended)."""
        return self.filter(active_on_q(day))

    def active_between(self, start: date, end: date) -> AssignmentQuerySet:
        """Assignments in effect on at least one day of ``start``..``end``."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start), starts_on__lte=end)


class Assignment(TimeStampedModel):
    """A staff member works at a branch from ``starts_on`` to ``ends_on`` (open-ended if empty).

    A primary post is where the person belongs; a secondment sends them temporarily elsewhere
    (agenda item 10: help libraries badly short of staff).
    """

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("primary post")
        SECONDMENT = "secondment", _("temporary secondment")

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="assignments")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PRIMARY)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["branch", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="network_assignment_ends_after_starts",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.staff} @ {self.branch} ({self.get_kind_display()})"

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class StaffingLevel(models.Model):
    """The fewest staff a branch needs on an open ``weekday`` (agenda item 10: shortages)."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="staffing_levels",
                               verbose_name=_("branch"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=OpeningPeriod.Weekday.choices)
    minimum_staff = models.PositiveSmallIntegerField(_("minimum staff"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minimum staff level")
        verbose_name_plural = _("minimum staff levels")
        ordering = ["branch", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "weekday"], name="network_staffinglevel_one_per_weekday"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="network_staffinglevel_weekday"),
        ]

    def __str__(self):
        return f"{self.branch} {self.get_weekday_display()}: {self.minimum_staff}"


class OrgVersion(TimeStampedModel):
    """One version of the division's structure (division → groups → branches).

    A restructuring is drafted as a new version (``effective_from`` empty), compared with the
    one in force, then scheduled to take effect on a date. The version in force on a day is the
    one with the latest ``effective_from`` on or before that day.
    """

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    effective_from = models.DateField(_("takes effect on"), null=True, blank=True,
                                      help_text=_("Empty while the version is a draft."))
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("based on"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("structure version")
        verbose_name_plural = _("structure versions")
        ordering = [F("effective_from").desc(nulls_first=True), "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"], condition=Q(effective_from__isnull=False),
                name="network_orgversion_one_per_effective_date",
                violation_error_message=_("Another structure version already takes effect on this date."),
            ),
        ]

    def __str__(self):
        return self.name_th

    @property
    def is_draft(self) -> bool:
        return self.effective_from is None


class OrgUnit(models.Model):
    """A unit of one structure version: the division, a group (กลุ่มงาน) or a section.

    ``code`` is the unit's identity across versions, so that two versions can be compared.
    """

    class Kind(models.TextChoices):
        DIVISION = "division", _("division")
        GROUP = "group", _("group")
        SECTION = "section", _("section")

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="units",
                                verbose_name=_("structure version"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("parent unit"))
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GROUP)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    branches = models.ManyToManyField(Branch, through="UnitBranch", blank=True, related_name="org_units",
                                      verbose_name=_("branches"))

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="network_orgunit_code_unique_in_version"),
        ]

    def __str__(self):
        return self.name_th


class UnitBranch(models.Model):
    """A branch belongs to one unit of a structure version (``version`` repeats the unit's, for the constraint)."""

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="branch_links")
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="unit_links")

    class Meta:
        verbose_name = _("branch of a unit")
        verbose_name_plural = _("branches of units")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "branch"], name="network_unitbranch_one_unit_per_version",
                violation_error_message=_("A branch belongs to only one unit in a structure version."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} ← {self.branch}"


class Position(models.Model):
    """A post in a unit (head of group, librarian...), held by a staff member or vacant."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="positions", verbose_name=_("unit"))
    code = models.SlugField(_("code"), max_length=40)
    title_th = models.CharField(_("title (Thai)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    is_head = models.BooleanField(_("head of the unit"), default=False)
    holder = models.ForeignKey(StaffMember, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="positions", verbose_name=_("holder"))

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit", "-is_head", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="network_position_code_unique_in_unit"),
        ]

    def __str__(self):
        return self.title_th
