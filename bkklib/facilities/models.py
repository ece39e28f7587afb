"""Tables of the facilities app: buildings, floors and rooms; Universal Design checklists and audits;
improvement works; the tree-planting survey (issue 25, docs/admin/facilities.md)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel


class Building(TimeStampedModel):
    """A building of a branch (a branch may have several on one site)."""

    class Owner(models.TextChoices):
        BMA = "bma", _("Bangkok Metropolitan Administration")
        DISTRICT = "district", _("district office")
        LEASED = "leased", _("leased")
        SHARED = "shared", _("shared with another agency")
        OTHER = "other", _("other")

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="buildings",
                               verbose_name=_("branch"))
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True)
    year_built_be = models.PositiveSmallIntegerField(_("year built (B.E.)"), null=True, blank=True)
    owner = models.CharField(_("owner"), max_length=12, choices=Owner.choices, default=Owner.BMA)
    owner_note = models.CharField(_("owner detail"), max_length=200, blank=True)
    accessibility_summary = models.TextField(_("accessibility summary"), blank=True,
                                             help_text=_("In a few lines: step-free entrance, lift, accessible toilet…"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["branch", "name_th"]
        permissions = [("view_facilities_report", _("Can see building, works and tree reports"))]
        constraints = [
            models.UniqueConstraint(fields=["branch", "name_th"], name="facilities_building_name_per_branch",
                                    violation_error_message=_("This branch already has a building of this name.")),
            models.CheckConstraint(condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
                                   name="facilities_building_area_positive",
                                   violation_error_message=_("The floor area must be more than zero.")),
            models.CheckConstraint(condition=Q(year_built_be__isnull=True)
                                   | Q(year_built_be__gte=2300, year_built_be__lte=2700),
                                   name="facilities_building_year_be",
                                   violation_error_message=_("Give the year built in the Buddhist Era (e.g. 2540).")),
        ]

    def __str__(self):
        return self.name_th


class Floor(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="floors",
                                 verbose_name=_("building"))
    level = models.SmallIntegerField(_("level"), help_text=_("0: ground floor; negative: basement."))
    name_th = models.CharField(_("name (Thai)"), max_length=80, blank=True)
    area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["building", "level"]
        constraints = [
            models.UniqueConstraint(fields=["building", "level"], name="facilities_floor_level_per_building",
                                    violation_error_message=_("This building already has this floor.")),
            models.CheckConstraint(condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
                                   name="facilities_floor_area_positive",
                                   violation_error_message=_("The floor area must be more than zero.")),
        ]

    def __str__(self):
        return self.name_th or str(_("floor {level}")).format(level=self.level)


class Room(models.Model):
    floor = models.ForeignKey(Floor, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("floor"))
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    space = models.ForeignKey("spaces.Space", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="rooms", verbose_name=_("bookable space"),
                              help_text=_("The space of the booking system this room is, if any."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["floor", "name_th"]
        constraints = [
            models.UniqueConstraint(fields=["floor", "name_th"], name="facilities_room_name_per_floor",
                                    violation_error_message=_("This floor already has a room of this name.")),
            models.CheckConstraint(condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
                                   name="facilities_room_area_positive",
                                   violation_error_message=_("The room area must be more than zero.")),
        ]

    def __str__(self):
        return self.name_th


# --- Universal Design checklists and audits ---------------------------------------------------------

class Category(models.TextChoices):
    APPROACH = "approach", _("approach and outside the building")
    CIRCULATION = "circulation", _("moving through the building")
    TOILETS = "toilets", _("toilets")
    SERVICE = "service", _("signs and services")


class Checklist(models.Model):
    """A version of the Universal Design checklist, loaded from a fixture with its provenance."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("source and provenance"))
    sha256 = models.CharField(_("SHA-256 of the fixture"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("UD checklist")
        verbose_name_plural = _("UD checklists")
        ordering = ["-loaded_at"]

    def __str__(self):
        return f"{self.title} ({self.version})"


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items",
                                  verbose_name=_("checklist"))
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order in a list", "position"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    topic_th = models.CharField(_("topic (Thai)"), max_length=200)
    topic_en = models.CharField(_("topic (English)"), max_length=200)
    requirement = models.TextField(_("requirement"))
    verified = models.BooleanField(_("criterion read in a source"), default=False)
    source = models.TextField(_("source"), blank=True)
    measure_label = models.CharField(_("what to measure"), max_length=100, blank=True)
    measure_unit = models.CharField(pgettext_lazy("of measure", "unit"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="facilities_checklistitem_code",
                                    violation_error_message=_("This checklist already has an item with this code.")),
        ]

    def __str__(self):
        return self.topic_th


class Audit(models.Model):
    """One Universal Design audit of a building against a checklist version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being filled in")
        COMPLETED = "completed", _("completed")

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="audits",
                                 verbose_name=_("building"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))  # the building's, kept for scoping
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="audits",
                                  verbose_name=_("checklist"))
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("previous audit"))
    audited_on = models.DateField(_("audit date"))
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("auditor"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("UD audit")
        verbose_name_plural = _("UD audits")
        ordering = ["-audited_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(completed_at__isnull=False),
                                   name="facilities_audit_completed_has_time",
                                   violation_error_message=_("A completed audit records when it was completed.")),
            models.CheckConstraint(condition=~Q(previous=F("pk")), name="facilities_audit_not_own_previous",
                                   violation_error_message=_("An audit cannot be compared with itself.")),
        ]

    def __str__(self):
        return f"{self.building} · {self.audited_on}"


class AuditAnswer(models.Model):
    """The answer to one checklist item in one audit: compliant, not, or not applicable; photo, note, measure."""

    class Result(models.TextChoices):
        COMPLIANT = "yes", _("compliant")
        NOT_COMPLIANT = "no", _("not compliant")
        NOT_APPLICABLE = "na", _("not applicable")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers", verbose_name=_("audit"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers",
                             verbose_name=_("checklist item"))
    result = models.CharField(_("result"), max_length=3, choices=Result.choices)
    measured_value = models.DecimalField(_("measured value"), max_digits=9, decimal_places=2, null=True,
                                         blank=True)
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo"), upload_to="facilities/audits/", blank=True)
    photo_latitude = models.FloatField(_("photo latitude"), null=True, blank=True)
    photo_longitude = models.FloatField(_("photo longitude"), null=True, blank=True)
    photo_taken_at = models.DateTimeField(_("photo taken at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit answer")
        verbose_name_plural = _("audit answers")
        ordering = ["audit", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="facilities_auditanswer_one_per_item",
                                    violation_error_message=_("This item is already answered in this audit.")),
            models.CheckConstraint(condition=Q(measured_value__isnull=True) | Q(measured_value__gte=0),
                                   name="facilities_auditanswer_measure_not_negative",
                                   violation_error_message=_("A measured value cannot be negative.")),
            models.CheckConstraint(condition=Q(photo_latitude__isnull=True, photo_longitude__isnull=True)
                                   | Q(photo_latitude__isnull=False, photo_longitude__isnull=False,
                                       photo_latitude__gte=-90, photo_latitude__lte=90,
                                       photo_longitude__gte=-180, photo_longitude__lte=180),
                                   name="facilities_auditanswer_location_pair",
                                   violation_error_message=_("A photo location needs both latitude and longitude.")),
            models.CheckConstraint(condition=~Q(photo="") | Q(photo_latitude__isnull=True),
                                   name="facilities_auditanswer_location_needs_photo",
                                   violation_error_message=_("A photo location without a photo.")),
        ]

    def __str__(self):
        return f"{self.audit} · {self.item.code}: {self.result}"


# --- Improvement works ------------------------------------------------------------------------------

class Work(TimeStampedModel):
    """An improvement work: proposed → approved → budgeted → procured → in progress → completed → inspected."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        BUDGETED = "budgeted", _("budgeted")
        PROCURED = "procured", _("procured")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        INSPECTED = "inspected", _("inspected")
        CANCELLED = "cancelled", _("cancelled")

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="works",
                               verbose_name=_("branch"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True, related_name="works",
                                 verbose_name=_("building"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), null=True, blank=True, db_index=True)
    budget = models.DecimalField(_("budget (baht)"), max_digits=12, decimal_places=2, null=True, blank=True)
    contractor = models.CharField(_("contractor"), max_length=200, blank=True)
    contract_no = models.CharField(_("contract number"), max_length=60, blank=True)
    starts_on = models.DateField(_("work starts"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    gaps = models.ManyToManyField(AuditAnswer, blank=True, related_name="works",
                                  verbose_name=_("UD gaps it closes"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("proposed by"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("improvement work")
        verbose_name_plural = _("improvement works")
        ordering = ["-created_at"]
        permissions = [("approve_work", _("Can approve improvement works and set their budget")),
                       ("inspect_work", _("Can record the inspection of a completed work"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "approved", "cancelled"])
                | Q(fiscal_year__isnull=False, budget__isnull=False),
                name="facilities_work_budgeted_has_year_and_amount",
                violation_error_message=_("A budgeted work has a fiscal year and an amount.")),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gt=0),
                                   name="facilities_work_budget_positive",
                                   violation_error_message=_("The budget must be more than zero baht.")),
            models.CheckConstraint(condition=Q(fiscal_year__isnull=True)
                                   | Q(fiscal_year__gte=2500, fiscal_year__lte=2700),
                                   name="facilities_work_fiscal_year_be",
                                   violation_error_message=_("Give the fiscal year in the Buddhist Era (e.g. 2569).")),
            models.CheckConstraint(condition=~Q(status__in=["completed", "inspected"]) | Q(completed_on__isnull=False),
                                   name="facilities_work_completed_has_date",
                                   violation_error_message=_("A completed work records the day it was completed.")),
            models.CheckConstraint(condition=~Q(status="inspected") | Q(inspected_on__isnull=False),
                                   name="facilities_work_inspected_has_date",
                                   violation_error_message=_("An inspected work records the day of inspection.")),
            models.CheckConstraint(condition=Q(completed_on__isnull=True) | Q(starts_on__isnull=True)
                                   | Q(completed_on__gte=F("starts_on")),
                                   name="facilities_work_completed_after_start",
                                   violation_error_message=_("A work cannot be completed before it starts.")),
            models.CheckConstraint(condition=Q(inspected_on__isnull=True) | Q(completed_on__isnull=True)
                                   | Q(inspected_on__gte=F("completed_on")),
                                   name="facilities_work_inspected_after_completed",
                                   violation_error_message=_("A work is inspected on or after its completion.")),
        ]

    def __str__(self):
        return self.title


class WorkPhoto(models.Model):
    class Stage(models.TextChoices):
        BEFORE = "before", _("before")
        AFTER = "after", _("after")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="photos", verbose_name=_("work"))
    stage = models.CharField(_("stage"), max_length=6, choices=Stage.choices)
    photo = models.FileField(_("photo"), upload_to="facilities/works/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("work photo")
        verbose_name_plural = _("work photos")
        ordering = ["work", "stage", "added_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(photo=""), name="facilities_workphoto_has_file",
                                   violation_error_message=_("A work photo needs its file.")),
        ]

    def __str__(self):
        return f"{self.work} · {self.stage}"


class WorkDocument(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="documents", verbose_name=_("work"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="facilities/documents/")
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("work document")
        verbose_name_plural = _("work documents")
        ordering = ["work", "added_at"]

    def __str__(self):
        return self.title


# --- Tree survey ------------------------------------------------------------------------------------

class Species(models.Model):
    """A tree or plant from the list (Thai and scientific names), loaded from fixtures/tree_species.json."""

    class Form(models.TextChoices):
        TREE = "tree", _("tree")
        SHRUB = "shrub", _("shrub")
        CLIMBER = "climber", _("climber or wall plant")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_scientific = models.CharField(_("scientific name"), max_length=120)
    form = models.CharField(pgettext_lazy("tree", "form"), max_length=8, choices=Form.choices)

    class Meta:
        verbose_name = _("species")
        verbose_name_plural = _("species")
        ordering = ["name_th"]

    def __str__(self):
        return f"{self.name_th} ({self.name_scientific})"


class TreeSite(TimeStampedModel):
    """A place on a branch's grounds surveyed for planting: ground, a wall (green wall for dust) or a roof."""

    class Kind(models.TextChoices):
        GROUND = "ground", _("ground")
        WALL = "wall", _("green wall")
        ROOF = "roof", _("roof")

    class Soil(models.TextChoices):
        LOAM = "loam", _("loam")
        CLAY = "clay", _("clay")
        SAND = "sand", _("sandy")
        FILL = "fill", _("fill / rubble")
        CONTAINER = "container", _("planters or containers")

    class Sun(models.TextChoices):
        FULL = "full", _("full sun")
        PART = "part", _("part shade")
        SHADE = "shade", _("shade")

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="tree_sites",
                               verbose_name=_("branch"))
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.GROUND)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    district_code = models.CharField(_("district"), max_length=4, blank=True, db_index=True,
                                     help_text=_("Found from the coordinates (district boundaries shipped with "
                                                 "the product); the branch's district if outside Bangkok."))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=9, decimal_places=1)
    soil = models.CharField(_("soil"), max_length=10, choices=Soil.choices, default=Soil.LOAM)
    sun = models.CharField(_("sun"), max_length=6, choices=Sun.choices, default=Sun.FULL)
    note = models.TextField(_("note"), blank=True)
    surveyed_on = models.DateField(_("surveyed on"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planting site")
        verbose_name_plural = _("planting sites")
        ordering = ["branch", "name_th"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "name_th"], name="facilities_treesite_name_per_branch",
                                    violation_error_message=_("This branch already has a site of this name.")),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="facilities_treesite_area_positive",
                                   violation_error_message=_("The site's area must be more than zero.")),
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180,
                                               longitude__lte=180), name="facilities_treesite_coordinates",
                                   violation_error_message=_("The coordinates are not on Earth.")),
        ]

    def __str__(self):
        return self.name_th


class Planting(models.Model):
    """Trees of one species planned (and then planted) at a site."""

    site = models.ForeignKey(TreeSite, on_delete=models.CASCADE, related_name="plantings", verbose_name=_("site"))
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="+", verbose_name=_("species"))
    planned = models.PositiveIntegerField(_("planned"))
    planted = models.PositiveIntegerField(_("planted"), default=0)
    planted_on = models.DateField(_("planted on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planting")
        verbose_name_plural = _("plantings")
        ordering = ["site", "species"]
        constraints = [
            models.CheckConstraint(condition=Q(planted=0) | Q(planted_on__isnull=False),
                                   name="facilities_planting_planted_has_date",
                                   violation_error_message=_("Planted trees need the day they were planted.")),
            models.CheckConstraint(condition=Q(planned__gte=1) | Q(planted__gte=1),
                                   name="facilities_planting_not_empty",
                                   violation_error_message=_("A planting is of at least one tree.")),
        ]

    def __str__(self):
        return f"{self.site} · {self.species.name_th}"


class SurvivalCheck(models.Model):
    planting = models.ForeignKey(Planting, on_delete=models.CASCADE, related_name="checks",
                                 verbose_name=_("planting"))
    checked_on = models.DateField(_("checked on"))
    alive = models.PositiveIntegerField(_("alive"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("survival check")
        verbose_name_plural = _("survival checks")
        ordering = ["planting", "-checked_on"]
        constraints = [
            models.UniqueConstraint(fields=["planting", "checked_on"], name="facilities_survivalcheck_one_a_day",
                                    violation_error_message=_("This planting was already checked on this day.")),
        ]

    def __str__(self):
        return f"{self.planting} · {self.checked_on}: {self.alive}"
