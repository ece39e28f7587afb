"""Tables of the outreach app: mobile libraries (vehicles, routes, stops, timetables, trips, visits),
deposit collections at reading houses, volunteer accounts and the volunteer desk's synced actions.

Where circulation happens: a vehicle is a network branch of kind ``mobile_unit`` (its collection
is the items whose branch is that unit); a reading house is a branch of kind ``reading_house``.
Lending at a stop or a reading house is circulation's checkout at that branch.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel


class Vehicle(TimeStampedModel):
    """A mobile library vehicle; its collection is the items of its ``unit`` branch."""

    class Kind(models.TextChoices):
        BUS = "bus", _("bus")
        VAN = "van", _("van")
        BOAT = "boat", _("boat")
        BICYCLE = "bicycle", _("bicycle")

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("in service")
        IN_MAINTENANCE = "in_maintenance", _("in maintenance")
        RETIRED = "retired", _("retired")

    unit = models.OneToOneField("network.Branch", on_delete=models.PROTECT, related_name="vehicle",
                                verbose_name=_("mobile unit (branch)"),
                                help_text=_("The network branch of kind mobile unit whose items the vehicle carries."))
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    plate = models.CharField(_("licence plate"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BUS)
    capacity = models.PositiveIntegerField(_("capacity (books)"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["name_th"]
        constraints = [
            models.UniqueConstraint(fields=["plate"], name="outreach_vehicle_plate_unique",
                                    violation_error_message=_("Another vehicle has this licence plate.")),
            models.CheckConstraint(condition=~Q(plate=""), name="outreach_vehicle_plate_not_empty",
                                   violation_error_message=_("A vehicle needs a licence plate.")),
        ]

    def __str__(self):
        return f"{self.name_th} ({self.plate})"


class MaintenanceLog(TimeStampedModel):
    """One entry of a vehicle's maintenance log."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="maintenance",
                                verbose_name=_("vehicle"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    work = models.CharField(_("work done"), max_length=300)
    cost = models.DecimalField(_("cost (baht)"), max_digits=10, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("maintenance entry")
        verbose_name_plural = _("maintenance log")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="outreach_maintenance_range",
                                   violation_error_message=_("Maintenance cannot end before it starts.")),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0),
                                   name="outreach_maintenance_cost_not_negative",
                                   violation_error_message=_("A cost cannot be negative.")),
        ]

    def __str__(self):
        return self.work


class Route(TimeStampedModel):
    """A round of stops a vehicle serves."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="routes", verbose_name=_("vehicle"))
    code = models.SlugField(_("code"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="outreach_route_code_unique",
                                               violation_error_message=_("Another route has this code."))]

    def __str__(self):
        return self.name_th


class StopQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_active=True, route__is_active=True)


class Stop(TimeStampedModel):
    """A place a route's vehicle visits: a school, a community, an elderly home..."""

    class Audience(models.TextChoices):
        SCHOOL = "school", _("school")
        COMMUNITY = "community", _("community")
        ELDERLY_HOME = "elderly_home", _("elderly home")
        TEMPLE = "temple", _("temple")
        HOSPITAL = "hospital", _("hospital")
        OTHER = "other", _("other")

    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="stops", verbose_name=_("route"))
    code = models.SlugField(_("code"), max_length=40)
    name_th = models.CharField(_("place (Thai)"), max_length=200)
    name_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    district = models.ForeignKey("network.District", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.COMMUNITY)
    is_pickup_point = models.BooleanField(
        _("hold pickup point"), default=False,
        help_text=_("Readers may choose the vehicle as pickup branch and collect holds at this stop."))
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = StopQuerySet.as_manager()

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["route", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="outreach_stop_code_unique",
                                    violation_error_message=_("Another stop has this code.")),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="outreach_stop_coordinates",
                violation_error_message=_("Give both latitude and longitude, within range, or neither.")),
        ]

    def __str__(self):
        return self.name_th


class Timetable(TimeStampedModel):
    """When a stop is visited: every week on a weekday, or on one date; arrival and departure."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="timetables", verbose_name=_("stop"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    on_date = models.DateField(_("date"), null=True, blank=True)
    arrives_at = models.TimeField(_("arrives at"))
    departs_at = models.TimeField(_("departs at"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable")
        ordering = ["stop", "weekday", "on_date", "arrives_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(weekday__isnull=False) & Q(on_date__isnull=True))
                | (Q(weekday__isnull=True) & Q(on_date__isnull=False)),
                name="outreach_timetable_weekday_or_date",
                violation_error_message=_("A timetable entry is either weekly (a weekday) or on one date, not both.")),
            models.CheckConstraint(condition=Q(departs_at__gt=models.F("arrives_at")),
                                   name="outreach_timetable_departs_after_arrival",
                                   violation_error_message=_("The vehicle must depart after it arrives.")),
            models.CheckConstraint(condition=Q(weekday__isnull=True) | Q(weekday__lte=6),
                                   name="outreach_timetable_weekday_range",
                                   violation_error_message=_("A weekday is 0 (Monday) to 6 (Sunday).")),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="outreach_timetable_validity",
                violation_error_message=_("A timetable cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.stop} {self.arrives_at:%H:%M}"


class TripQuerySet(models.QuerySet):
    def upcoming(self, today):
        return self.filter(planned_on__gte=today) | self.filter(visit_on__gte=today)


class Trip(TimeStampedModel):
    """One visit of a stop on the calendar, planned from a timetable entry and moved or cancelled
    by holidays and closures (services.plan_trips)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("trip", "scheduled")
        MOVED = "moved", pgettext_lazy("trip", "moved")
        CANCELLED = "cancelled", _("cancelled")
        DONE = "done", _("done")

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="trips", verbose_name=_("stop"))
    timetable = models.ForeignKey(Timetable, on_delete=models.SET_NULL, null=True, blank=True, related_name="trips",
                                  verbose_name=_("timetable entry"))
    planned_on = models.DateField(_("planned date"))
    visit_on = models.DateField(_("visit date"), null=True, blank=True, help_text=_("Empty when cancelled."))
    arrives_at = models.TimeField(_("arrives at"))
    departs_at = models.TimeField(_("departs at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    reason = models.CharField(_("reason"), max_length=200, blank=True,
                              help_text=_("Why the visit moved or was cancelled (the holiday or closure)."))
    manual = models.BooleanField(_("changed by staff"), default=False,
                                 help_text=_("Kept as staff set it when the trips are planned again."))
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = TripQuerySet.as_manager()

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["planned_on", "arrives_at"]
        indexes = [models.Index(fields=["visit_on"], name="outreach_trip_visit_on")]
        constraints = [
            models.UniqueConstraint(fields=["timetable", "planned_on"], name="outreach_trip_once_per_planned_day",
                                    violation_error_message=_("This timetable entry already has a trip that day.")),
            models.CheckConstraint(
                condition=(Q(status="cancelled") & Q(visit_on__isnull=True))
                | (~Q(status="cancelled") & Q(visit_on__isnull=False)),
                name="outreach_trip_cancelled_has_no_date",
                violation_error_message=_("A cancelled trip has no visit date; any other trip has one.")),
            models.CheckConstraint(condition=Q(departs_at__gt=models.F("arrives_at")),
                                   name="outreach_trip_departs_after_arrival",
                                   violation_error_message=_("The vehicle must depart after it arrives.")),
        ]

    def __str__(self):
        return f"{self.stop} {self.planned_on}"


class VisitRecord(TimeStampedModel):
    """What happened at one visit of a stop or one day at a reading house: people served, loans, activities."""

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("vehicle or reading house"))
    stop = models.ForeignKey(Stop, on_delete=models.PROTECT, null=True, blank=True, related_name="visits",
                             verbose_name=_("stop"))
    trip = models.ForeignKey(Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits",
                             verbose_name=_("trip"))
    day = models.DateField(_("day"))
    children = models.PositiveIntegerField(_("children (under 13)"), default=0)
    youth = models.PositiveIntegerField(_("youth (13–24)"), default=0)
    adults = models.PositiveIntegerField(_("adults (25–59)"), default=0)
    elderly = models.PositiveIntegerField(_("elderly (60+)"), default=0)
    items_lent = models.PositiveIntegerField(_("items lent"), default=0)
    items_returned = models.PositiveIntegerField(_("items returned"), default=0)
    activities = models.TextField(_("activities held"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="outreach/visits/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")
        ordering = ["-day"]
        indexes = [models.Index(fields=["branch", "day"], name="outreach_visit_branch_day")]
        constraints = [
            # One record per place and day, a reading house's (no stop) too: COALESCE makes the missing stop
            # one value on both engines (SQLite cannot make NULLs "not distinct" in a unique index).
            models.UniqueConstraint(models.F("branch"), Coalesce("stop", models.Value(0)), models.F("day"),
                                    name="outreach_visit_one_per_place_day",
                                    violation_error_message=_("This place already has a visit record that day.")),
        ]

    @property
    def people(self) -> int:
        return self.children + self.youth + self.adults + self.elderly

    def __str__(self):
        return f"{self.branch} {self.day}"


class DepositCollection(TimeStampedModel):
    """A set of items a library sends to a reading house for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SENT = "sent", _("sent, in transit")
        RECEIVED = "received", _("received at the reading house")
        RECALLED = "recalled", _("recalled, in transit back")
        RETURNED = "returned", _("returned to the library")

    code = models.SlugField(_("code"), max_length=30)
    from_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("sending library"))
    reading_house = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="deposits",
                                      verbose_name=_("reading house"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    due_back_on = models.DateField(_("due back on"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("deposit collection")
        verbose_name_plural = _("deposit collections")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="outreach_deposit_code_unique",
                                    violation_error_message=_("Another deposit collection has this code.")),
            models.CheckConstraint(condition=~Q(from_branch=models.F("reading_house")),
                                   name="outreach_deposit_not_to_itself",
                                   violation_error_message=_("A library cannot send a deposit to itself.")),
        ]

    def __str__(self):
        return self.code


class DepositItem(models.Model):
    """One item of a deposit collection; ``home_branch`` is where it goes back to.

    While ``is_out`` the item's branch is the reading house (its true location) and circulation
    lends it only there; an item is out in at most one collection (constraint).
    """

    collection = models.ForeignKey(DepositCollection, on_delete=models.CASCADE, related_name="entries",
                                   verbose_name=_("deposit collection"))
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    home_branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("home branch"))
    is_out = models.BooleanField(_("out of the library"), default=True)

    class Meta:
        verbose_name = _("deposit item")
        verbose_name_plural = _("deposit items")
        constraints = [
            models.UniqueConstraint(fields=["collection", "item"], name="outreach_deposititem_once_per_collection",
                                    violation_error_message=_("This item is already in the collection.")),
            models.UniqueConstraint(fields=["item"], condition=Q(is_out=True), name="outreach_deposititem_out_once",
                                    violation_error_message=_("This item is already out in another deposit "
                                                              "collection.")),
        ]

    def __str__(self):
        return f"{self.collection}: {self.item_id}"


class VolunteerAccount(TimeStampedModel):
    """A volunteer's sign-in for the desk of one reading house (or one vehicle)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outreach_volunteer",
                                verbose_name=_("user account"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("reading house or vehicle"))
    assignment = models.ForeignKey("network.Assignment", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("assignment"))
    display_name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason revoked"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("volunteer account")
        verbose_name_plural = _("volunteer accounts")
        ordering = ["display_name"]
        permissions = [("use_volunteer_desk", _("Can lend and return at the volunteer desk"))]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __str__(self):
        return self.display_name


class SyncActionQuerySet(models.QuerySet):
    def open_conflicts(self):
        return self.filter(status__in=("conflict", "rejected"), resolved_at__isnull=True)


class SyncAction(models.Model):
    """One action the volunteer desk queued on a device and sent; applied once, whatever is re-sent.

    ``action_id`` is made on the device when the action is queued: the unique constraint makes a
    batch sent twice (connection lost before the answer) apply nothing twice.
    """

    class Kind(models.TextChoices):
        LEND = "lend", _("lend")
        RETURN = "return", _("return")
        VISIT = "visit", _("visit count")

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        CONFLICT = "conflict", _("conflict")
        REJECTED = "rejected", _("rejected")

    action_id = models.CharField(_("action id"), max_length=64)
    account = models.ForeignKey(VolunteerAccount, on_delete=models.PROTECT, related_name="actions",
                                verbose_name=_("volunteer account"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("place"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    seq = models.PositiveIntegerField(_("order on the device"), default=0)
    happened_at = models.DateTimeField(_("happened at"))
    received_at = models.DateTimeField(_("received at"))
    item_barcode = models.CharField(_("item barcode"), max_length=32, blank=True)
    card_number = models.CharField(_("card number"), max_length=32, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    code = models.CharField(_("result code"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=400, blank=True)
    loan_id = models.BigIntegerField(_("loan"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)

    objects = SyncActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("synced action")
        verbose_name_plural = _("synced actions")
        ordering = ["happened_at", "seq"]
        permissions = [("resolve_syncaction", _("Can resolve conflicts of the volunteer desk"))]
        indexes = [models.Index(fields=["status", "resolved_at"], name="outreach_syncaction_open")]
        constraints = [
            models.UniqueConstraint(fields=["action_id"], name="outreach_syncaction_once",
                                    violation_error_message=_("This action has already been received.")),
            models.CheckConstraint(condition=Q(status="applied") | ~Q(code=""), name="outreach_syncaction_coded",
                                   violation_error_message=_("A conflict or rejection needs a reason code.")),
        ]

    def __str__(self):
        return self.action_id


class HoldPickup(models.Model):
    """The stop where a reservation (circulation's hold, picked up at the vehicle's unit) is handed over.

    Written through circulation's pickup-place registry (outreach.pickup), so circulation never
    imports outreach.
    """

    hold = models.OneToOneField("circulation.Hold", on_delete=models.CASCADE, related_name="pickup_stop",
                                verbose_name=_("reservation"))
    stop = models.ForeignKey(Stop, on_delete=models.PROTECT, related_name="hold_pickups", verbose_name=_("stop"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reservation picked up at a stop")
        verbose_name_plural = _("reservations picked up at stops")

    def __str__(self):
        return f"{self.hold_id} @ {self.stop}"
