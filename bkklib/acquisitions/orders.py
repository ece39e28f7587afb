"""Orders: selection lists, lines, approval, placing (commitment) and cancelling copies."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Record
from bkklib.core import calendar
from bkklib.core.history import audit
from bkklib.network import access

from . import rules
from ._common import (
    OUTSTANDING,
    _cancel_copy,
    _check_open,
    _clean_request_fields,
    _decimal,
    _locked,
    _move,
    _now,
    _refuse,
    _set_request,
    _settle,
    _state_refused,
    fiscal_year,
)
from .exceptions import AcquisitionRefused, BadInput
from .models import (
    FiscalYear,
    Fund,
    Order,
    OrderCopy,
    OrderLine,
    Request,
    Vendor,
)


@transaction.atomic
def create_order(*, vendor: Vendor, branch, year: int | None = None, by=None, note: str = "",
                 now: datetime | None = None) -> Order:
    """Start a selection list for ``vendor`` in fiscal year ``year`` (default: the fiscal year of ``now`` in
    Bangkok, 1 Oct – 30 Sep); a closed year takes no orders."""
    if by is not None:
        access.require(by, "acquisitions.add_order", at=branch)
    fy = fiscal_year(year or calendar.fiscal_year(timezone.localdate(_now(now))))
    _check_open(fy)
    if not vendor.is_active:
        raise BadInput(reason=_("{vendor} is no longer an active vendor.").format(vendor=vendor.name), field="vendor")
    FiscalYear.objects.select_for_update().filter(pk=fy.pk).first()  # numbers: one writer per year
    count = Order.objects.filter(fiscal_year=fy).count()
    number = f"PO-{fy.year}-{count + 1:04d}"
    while Order.objects.filter(number=number).exists():
        count += 1
        number = f"PO-{fy.year}-{count + 1:04d}"
    order = Order(number=number, fiscal_year=fy, vendor=vendor, branch=branch, note=note,
                  created_by=by if getattr(by, "is_authenticated", False) else None)
    audit(order, by, "selection list")
    order.save()
    return order


def brief_record(*, title: str, author: str = "", isbn: str = "", by=None) -> Record:
    """A brief catalog record from a title (and author, ISBN) for an order line; catalogued fully later."""
    fields = [{"008": "      s        th            000 0 tha d"}]
    if isbn:
        fields.append({"020": {"ind1": " ", "ind2": " ", "subfields": [{"a": isbn}]}})
    if author:
        fields.append({"100": {"ind1": "0", "ind2": " ", "subfields": [{"a": author}]}})
    fields.append({"245": {"ind1": "1" if author else "0", "ind2": "0", "subfields": [{"a": title}]}})
    fields.append({"500": {"ind1": " ", "ind2": " ", "subfields": [{"a": "ระเบียนย่อจากการสั่งซื้อ"}]}})
    return catalog_services.save_record({"leader": "00000nam a2200000 i 4500", "fields": fields}, user=by,
                                        reason="brief record for an order")


@transaction.atomic
def add_line(*, order: Order, quantity, unit_price, allocations: list[tuple], record: Record | None = None,
             title: str = "", author: str = "", isbn: str = "", discount_pct=0, vat_pct=0,
             request: Request | None = None, by=None) -> OrderLine:
    """Add a title to a selection list.

    ``allocations``: ``(branch, fund, shelving_location, copies)`` tuples whose copies add up to
    ``quantity``: each copy has its branch and fund, so one line can be split across funds. Without
    ``record`` a brief record is made from ``title``/``author``/``isbn``.
    """
    order = Order.objects.select_for_update().select_related("fiscal_year").get(pk=order.pk)
    if by is not None:
        access.require(by, "acquisitions.change_order", at=order.branch)
    _check_open(order.fiscal_year)
    if order.status != Order.Status.SELECTION:
        raise _state_refused(order, _("changed"))
    unit_price = _decimal(unit_price, "unit_price")
    discount_pct = _decimal(discount_pct or 0, "discount_pct")
    vat_pct = _decimal(vat_pct or 0, "vat_pct")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise BadInput(reason=_("The quantity must be a whole number."), field="quantity") from None
    try:
        rules.check_price(unit_price, discount_pct, vat_pct, quantity)
    except rules.Refusal as exc:
        raise _refuse(exc) from None
    if sum(int(a[3]) for a in allocations) != quantity or any(int(a[3]) < 0 for a in allocations):
        raise BadInput(reason=_("The copies given to branches and funds must add up to the quantity ({quantity}).")
                       .format(quantity=quantity), field="allocations")
    for branch, fund, _shelf, _n in allocations:
        if fund.fiscal_year_id != order.fiscal_year_id:
            raise BadInput(reason=_("The fund {fund} is not of fiscal year {year}.").format(
                fund=fund.name, year=order.fiscal_year.year), field="fund")
        if by is not None:
            access.require(by, "acquisitions.change_order", at=branch)
    if record is None:
        title, author, isbn = _clean_request_fields(title or (request.title if request else ""),
                                                    author or (request.author if request else ""),
                                                    isbn or (request.isbn if request else ""))
        record = brief_record(title=title, author=author, isbn=isbn, by=by)
    line = OrderLine(order=order, record=record, request=request, quantity=quantity,
                     unit_price=rules.money(unit_price), discount_pct=discount_pct, vat_pct=vat_pct)
    audit(line, by, "added")
    line.save()
    cost = rules.copy_cost(unit_price, discount_pct, vat_pct)
    copies = []
    number = 1
    for branch, fund, shelf, n in allocations:
        for _i in range(int(n)):
            copies.append(OrderCopy(line=line, copy_no=number, branch=branch, fund=fund,
                                    shelving_location=shelf or "", cost=cost))
            number += 1
    OrderCopy.objects.bulk_create(copies)
    return line


@transaction.atomic
def remove_line(*, line: OrderLine, by=None) -> None:
    order = Order.objects.select_for_update().get(pk=line.order_id)
    if by is not None:
        access.require(by, "acquisitions.change_order", at=order.branch)
    if order.status != Order.Status.SELECTION:
        raise _state_refused(order, _("changed"))
    audit(line, by, "removed")
    line.delete()


@transaction.atomic
def approve_order(*, order: Order, by=None, now: datetime | None = None) -> Order:
    """Approve a selection list (อนุมัติ) so it can be sent as a purchase order."""
    order = Order.objects.select_for_update().select_related("fiscal_year").get(pk=order.pk)
    if by is not None:
        access.require(by, "acquisitions.approve_order", at=order.branch)
    _check_open(order.fiscal_year)
    if order.status != Order.Status.SELECTION:
        raise _state_refused(order, _("approved"))
    if not order.lines.exists():
        raise BadInput(reason=_("Add at least one title before approving the order."), field="lines")
    order.status = Order.Status.APPROVED
    order.approved_by = by if getattr(by, "is_authenticated", False) else None
    order.approved_at = _now(now)
    audit(order, by, "approved")
    order.save()
    return order


@transaction.atomic
def place_order(*, order: Order, by=None, now: datetime | None = None, ordered_on: date | None = None,
                expected_by: date | None = None) -> Order:
    """Send an approved order to the vendor: commit every copy's cost to its fund."""
    now = _now(now)
    order = Order.objects.select_for_update().select_related("fiscal_year", "vendor").get(pk=order.pk)
    if by is not None:
        access.require(by, "acquisitions.change_order", at=order.branch)
    _check_open(order.fiscal_year)
    if order.status != Order.Status.APPROVED:
        raise _state_refused(order, _("sent to the vendor"))
    ordered_on = ordered_on or timezone.localdate(now)
    copies = list(OrderCopy.objects.filter(line__order=order, status=OrderCopy.Status.PLANNED)
                  .select_related("fund").order_by("fund_id", "pk"))
    funds = {}
    for fund_id in sorted({c.fund_id for c in copies}):
        funds[fund_id] = _locked(Fund(pk=fund_id))
    for copy in copies:
        fund = funds[copy.fund_id]
        if fund.fiscal_year.is_closed:
            raise AcquisitionRefused("year_closed", year=fund.fiscal_year.year)
        _move(fund, "commit", copy.cost, by=by, now=now, copy=copy, reason=order.number)
        copy.status = OrderCopy.Status.ORDERED
        audit(copy, by, "ordered")
        copy.save(update_fields=["status"])
    order.status = Order.Status.ORDERED
    order.ordered_on = ordered_on
    order.expected_by = expected_by or ordered_on + timedelta(days=order.vendor.delivery_days)
    audit(order, by, "ordered")
    order.save()
    for request in Request.objects.filter(lines__order=order).distinct():
        if request.status in (Request.Status.NEW, Request.Status.ACCEPTED):
            _set_request(request, Request.Status.ORDERED, by=by, now=now)
    return order


@transaction.atomic
def cancel_copies(*, order: Order, reason: str, copies: list[int] | None = None, by=None,
                  now: datetime | None = None) -> int:
    """Cancel the outstanding copies of ``order`` (or only ``copies``, by id): each releases exactly its cost."""
    now = _now(now)
    if not (reason or "").strip():
        raise BadInput(reason=_("Say why the copies are cancelled."), field="reason")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if by is not None:
        access.require(by, "acquisitions.change_order", at=order.branch)
    if order.status in (Order.Status.CLOSED, Order.Status.CANCELLED):
        raise _state_refused(order, _("cancelled"))
    qs = OrderCopy.objects.filter(line__order=order, status__in=OUTSTANDING)
    if copies is not None:
        qs = qs.filter(pk__in=copies)
    found = list(qs.order_by("fund_id", "pk"))
    funds = {fid: _locked(Fund(pk=fid)) for fid in sorted({c.fund_id for c in found})}
    for copy in found:
        _cancel_copy(copy, fund=funds[copy.fund_id], by=by, now=now, reason=reason)
    _settle(order, by=by)
    for request in Request.objects.filter(lines__order=order).distinct():
        if request.status == Request.Status.ORDERED and not OrderCopy.objects.filter(
                line__request=request, status__in=[*OUTSTANDING, OrderCopy.Status.RECEIVED]).exists():
            _set_request(request, Request.Status.DECLINED, by=by, now=now,
                         reason=_("the order was cancelled: {reason}").format(reason=reason), notice="declined")
    return len(found)
