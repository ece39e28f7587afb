"""Tables of the acquisitions app: fiscal years, funds and their ledger, vendors, requests, orders with lines
and copies, deliveries, claims, invoices, donations.

Money is Decimal baht with satang (2 places). A fund's three figures (budget, committed, spent) are kept
on the row and every change is a ``FundEntry``; the constraint ``acquisitions_fund_within_budget`` makes a
fund going below zero impossible unless an override (``overdraft``, set only by a recorded entry) allows it.
"""
from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}


def validate_tax_id(value: str) -> None:
    """A Thai taxpayer number: 13 digits with a valid check digit (python-stdnum ``th.tin``)."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.th import tin

    try:
        tin.validate(value)
    except StdnumError:
        raise ValidationError(_("“%(value)s” is not a valid Thai tax ID: 13 digits with a correct check digit."),
                              code="invalid_tax_id", params={"value": value}) from None


class FiscalYear(models.Model):
    """A Thai fiscal year (1 Oct – 30 Sep) named by the Buddhist-Era year it ends; closed years take no orders."""

    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), unique=True,
                                            validators=[MinValueValidator(2500), MaxValueValidator(2700)])
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2500, year__lte=2700), name="acquisitions_fiscalyear_be",
                                   violation_error_message=_("A fiscal year is a Buddhist-Era year.")),
        ]

    def __str__(self):
        return f"ปีงบประมาณ {self.year}"


class Fund(TimeStampedModel):
    """Money of one branch for buying library materials in one fiscal year."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="funds",
                                    verbose_name=_("fiscal year"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="acquisition_funds",
                               verbose_name=_("branch"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    budget = models.DecimalField(_("budget (baht)"), default=ZERO, **MONEY)
    committed = models.DecimalField(_("committed (baht)"), default=ZERO, **MONEY)
    spent = models.DecimalField(_("spent (baht)"), default=ZERO, **MONEY)
    overdraft = models.DecimalField(_("approved overdraft (baht)"), default=ZERO, **MONEY)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["fiscal_year", "branch", "code"]
        permissions = [("transfer_fund", _("Can transfer money between funds")),
                       ("override_fund", _("Can let a fund go below zero")),
                       ("close_fiscal_year", _("Can close a fiscal year and roll funds over")),
                       ("view_acquisitions_report", _("Can see the acquisitions follow-up report"))]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "branch", "code"], name="acquisitions_fund_code_unique",
                                    violation_error_message=_("This branch already has a fund with this code "
                                                              "in this fiscal year.")),
            models.CheckConstraint(condition=Q(budget__gte=0) & Q(committed__gte=0) & Q(spent__gte=0)
                                   & Q(overdraft__gte=0), name="acquisitions_fund_not_negative",
                                   violation_error_message=_("Fund amounts cannot be negative.")),
            models.CheckConstraint(condition=Q(committed__lte=F("budget") + F("overdraft") - F("spent")),
                                   name="acquisitions_fund_within_budget",
                                   violation_error_message=_("The fund would go below zero without an "
                                                             "approved override.")),
        ]

    def __str__(self):
        return f"{self.name} ({self.fiscal_year.year})"

    @property
    def free(self) -> Decimal:
        return self.budget - self.committed - self.spent


class FundEntry(models.Model):
    """One movement of a fund's money, for the audit of every baht."""

    class Kind(models.TextChoices):
        ALLOCATE = "allocate", _("budget allocated")
        TRANSFER_IN = "transfer_in", _("transfer in")
        TRANSFER_OUT = "transfer_out", _("transfer out")
        ROLLOVER_IN = "rollover_in", _("carried over in")
        ROLLOVER_OUT = "rollover_out", _("carried over out")
        COMMIT = "commit", _("committed")
        RELEASE = "release", _("released")
        SPEND = "spend", _("spent")
        OVERRIDE = "override", _("override below zero")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    copy = models.ForeignKey("acquisitions.OrderCopy", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="entries", verbose_name=_("copy"))
    other_fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("other fund"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="acquisitions_fundentry_positive",
                                   violation_error_message=_("An amount must be more than zero.")),
            models.CheckConstraint(
                condition=~Q(kind__in=["transfer_in", "transfer_out", "override"]) | ~Q(reason=""),
                name="acquisitions_fundentry_reason",
                violation_error_message=_("A transfer or an override needs a reason.")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Vendor(TimeStampedModel):
    """A bookseller or publisher the division buys from."""

    name = models.CharField(_("name"), max_length=200)
    tax_id = models.CharField(_("tax ID"), max_length=13, validators=[validate_tax_id])
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    delivery_days = models.PositiveSmallIntegerField(_("delivery within (days)"), default=30)
    terms = models.TextField(_("delivery and payment terms"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tax_id"], name="acquisitions_vendor_tax_id_unique",
                                    violation_error_message=_("A vendor with this tax ID already exists.")),
        ]

    def __str__(self):
        return self.name


class Request(TimeStampedModel):
    """A suggestion to buy a title, from a patron (their account) or from staff."""

    class Status(models.TextChoices):
        NEW = "new", _("received")
        ACCEPTED = "accepted", _("accepted for purchase")
        ORDERED = "ordered", _("ordered")
        RECEIVED = "received", _("received, being processed")
        ON_SHELF = "on_shelf", _("on the shelf")
        DECLINED = "declined", _("declined")

    patron = models.ForeignKey("circulation.Patron", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="purchase_requests", verbose_name=_("patron"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by (staff)"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="purchase_requests",
                               verbose_name=_("branch"))
    title = models.CharField(_("book title"), max_length=500)
    author = models.CharField(_("author"), max_length=300, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(decline_reason=""),
                                   name="acquisitions_request_decline_reason",
                                   violation_error_message=_("Say why the request is declined.")),
            models.CheckConstraint(condition=~Q(title=""), name="acquisitions_request_title",
                                   violation_error_message=_("A request needs a title.")),
        ]

    def __str__(self):
        return self.title


class Order(TimeStampedModel):
    """A selection list that becomes a purchase order once approved and sent to the vendor."""

    class Status(models.TextChoices):
        SELECTION = "selection", _("selection list")
        APPROVED = "approved", _("approved")
        ORDERED = "ordered", _("ordered")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("order number"), max_length=30, unique=True)
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="orders",
                                    verbose_name=_("fiscal year"))
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="orders", verbose_name=_("vendor"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="acquisition_orders",
                               verbose_name=_("ordering branch"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SELECTION)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    expected_by = models.DateField(_("delivery due"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_order", _("Can approve a purchase order")),
                       ("receive_order", _("Can inspect deliveries and receive copies"))]
        constraints = [
            models.CheckConstraint(condition=~Q(status="ordered") | Q(ordered_on__isnull=False),
                                   name="acquisitions_order_ordered_on",
                                   violation_error_message=_("An order sent to the vendor has an order date.")),
        ]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    """One title on an order: quantity, price, discount and VAT; each copy has its own branch and fund."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("purchase order"))
    record = models.ForeignKey("catalog.Record", on_delete=models.PROTECT, related_name="order_lines",
                               verbose_name=_("record"))
    request = models.ForeignKey(Request, on_delete=models.SET_NULL, null=True, blank=True, related_name="lines",
                                verbose_name=_("request"))
    quantity = models.PositiveSmallIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price (baht)"), validators=[MinValueValidator(0)], **MONEY)
    discount_pct = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2, default=ZERO,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    vat_pct = models.DecimalField(_("VAT (%)"), max_digits=5, decimal_places=2, default=ZERO,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="acquisitions_orderline_quantity",
                                   violation_error_message=_("Order at least one copy.")),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="acquisitions_orderline_price",
                                   violation_error_message=_("A price cannot be negative.")),
            models.CheckConstraint(condition=Q(discount_pct__gte=0, discount_pct__lte=100),
                                   name="acquisitions_orderline_discount",
                                   violation_error_message=_("A discount is between 0 and 100 %.")),
            models.CheckConstraint(condition=Q(vat_pct__gte=0, vat_pct__lte=100), name="acquisitions_orderline_vat",
                                   violation_error_message=_("VAT is between 0 and 100 %.")),
        ]

    def __str__(self):
        return f"{self.order.number} · {self.record.title}"


class OrderCopy(models.Model):
    """One ordered copy: the branch and fund it is bought for, its cost, and the item it became."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ORDERED = "ordered", _("ordered")
        RECEIVED = "received", _("received")
        CANCELLED = "cancelled", _("cancelled")

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="copies", verbose_name=_("line"))
    copy_no = models.PositiveSmallIntegerField(_("copy number"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="copies", verbose_name=_("fund"))
    shelving_location = models.CharField(_("shelving location"), max_length=100, blank=True)
    cost = models.DecimalField(_("cost (baht)"), default=ZERO, **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    item = models.OneToOneField("catalog.Item", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="order_copy", verbose_name=_("item"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    invoice = models.ForeignKey("acquisitions.Invoice", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="copies", verbose_name=_("invoice"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ordered copy")
        verbose_name_plural = _("ordered copies")
        ordering = ["line", "copy_no"]
        constraints = [
            models.UniqueConstraint(fields=["line", "copy_no"], name="acquisitions_ordercopy_once",
                                    violation_error_message=_("This copy of the line already exists.")),
            models.CheckConstraint(condition=Q(cost__gte=0), name="acquisitions_ordercopy_cost",
                                   violation_error_message=_("A cost cannot be negative.")),
            models.CheckConstraint(condition=Q(status="received", item__isnull=False, received_at__isnull=False)
                                   | (~Q(status="received") & Q(item__isnull=True)),
                                   name="acquisitions_ordercopy_received_item",
                                   violation_error_message=_("A received copy is linked to its item, "
                                                             "and only a received copy.")),
            models.CheckConstraint(condition=Q(invoice__isnull=True) | Q(status="received"),
                                   name="acquisitions_ordercopy_invoiced_received",
                                   violation_error_message=_("Only a received copy can be invoiced.")),
        ]

    def __str__(self):
        return f"{self.line} #{self.copy_no}"


class Delivery(models.Model):
    """A delivery inspected against an order (ตรวจรับ); ``token`` makes a repeated submit the same delivery."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("purchase order"))
    token = models.UUIDField(_("form token"), default=uuid.uuid4, unique=True)
    received_on = models.DateField(_("received on"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("inspected by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.order.number} {self.received_on}"


class DeliveryLine(models.Model):
    """What the inspection found for one order line."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines",
                                 verbose_name=_("delivery"))
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="delivery_lines",
                             verbose_name=_("order line"))
    received = models.PositiveSmallIntegerField(_("received in good order"), default=0)
    short = models.PositiveSmallIntegerField(_("short"), default=0)
    damaged = models.PositiveSmallIntegerField(_("damaged"), default=0)
    wrong_title = models.PositiveSmallIntegerField(_("wrong title"), default=0)

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "line"], name="acquisitions_deliveryline_once",
                                    violation_error_message=_("A line is inspected once per delivery.")),
        ]

    def __str__(self):
        return f"{self.delivery} · {self.line_id}: {self.received}"


class Claim(models.Model):
    """A claim sent to the vendor for copies late, short, damaged or of the wrong title."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="claims", verbose_name=_("purchase order"))
    sent_on = models.DateField(_("sent on"))
    copies = models.PositiveSmallIntegerField(_("copies claimed"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.order.number} {self.sent_on}"


class Invoice(models.Model):
    """The vendor's invoice for received copies: paying it turns their commitment into spending."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("purchase order"))
    number = models.CharField(_("vendor's invoice number"), max_length=50)
    invoiced_on = models.DateField(_("invoice date"))
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoiced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="acquisitions_invoice_once",
                                    violation_error_message=_("This invoice is already recorded.")),
            models.CheckConstraint(condition=Q(amount__gte=0), name="acquisitions_invoice_amount",
                                   violation_error_message=_("An amount cannot be negative.")),
        ]

    def __str__(self):
        return self.number


class Donation(TimeStampedModel):
    """Books given to a branch: intake, decision, acknowledgement letter, copies added without a fund."""

    class Condition(models.TextChoices):
        NEW = "new", _("new")
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("poor")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received, to be assessed")
        ACCEPTED = "accepted", _("accepted into the collection")
        DECLINED = "declined", _("declined")

    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="donations",
                               verbose_name=_("branch"))
    donor_name = models.CharField(_("donor"), max_length=200)
    donor_contact = models.CharField(_("donor's address or contact"), max_length=300, blank=True)
    received_on = models.DateField(_("received on"))
    count = models.PositiveIntegerField(_("number of books"), validators=[MinValueValidator(1)])
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    accepted_count = models.PositiveIntegerField(_("books accepted"), default=0)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="acquisitions_donation_count",
                                   violation_error_message=_("A donation has at least one book.")),
            models.CheckConstraint(condition=Q(accepted_count__lte=F("count")),
                                   name="acquisitions_donation_accepted_le_count",
                                   violation_error_message=_("More books cannot be accepted than were given.")),
        ]

    def __str__(self):
        return f"{self.donor_name} ({self.count})"


class DonatedCopy(models.Model):
    """An item added to the collection from a donation (no fund, no cost)."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="copies",
                                 verbose_name=_("donation"))
    item = models.OneToOneField("catalog.Item", on_delete=models.PROTECT, related_name="donated_copy",
                                verbose_name=_("item"))

    class Meta:
        verbose_name = _("donated copy")
        verbose_name_plural = _("donated copies")

    def __str__(self):
        return str(self.item)
