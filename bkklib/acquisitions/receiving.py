"""Receiving a delivery, shelving the copies received, invoices and claims to the vendor."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Item
from bkklib.core.exceptions import NotFound
from bkklib.core.history import audit
from bkklib.network import access

from . import rules
from ._common import (
    PROCESSING_STATUS,
    _item_type,
    _locked,
    _move,
    _now,
    _refuse,
    _set_request,
    _settle,
    _state_refused,
)
from .exceptions import BadInput
from .models import (
    Claim,
    Delivery,
    DeliveryLine,
    Fund,
    Invoice,
    Order,
    OrderCopy,
    Request,
)


def _barcode(copy: OrderCopy, year: int) -> str:
    return f"A{year}{copy.pk:09d}"


@transaction.atomic
def receive(*, order: Order, counts: dict[int, rules.Inspection], token: uuid.UUID | str | None = None,
            received_on: date | None = None, note: str = "", by=None, now: datetime | None = None) -> Delivery:
    """Inspect a delivery of ``order`` line by line and receive the good copies.

    Each copy received becomes a catalog item (barcode, the copy's branch and shelving location, price,
    status "in processing") linked one to one to its ordered copy. A repeated submit of the same form
    (same ``token``) returns the first delivery and creates nothing. Receiving more than is outstanding is
    refused before anything is stored. Patrons whose request led to a line are told.
    """
    now = _now(now)
    received_on = received_on or timezone.localdate(now)
    if token:
        try:
            token = uuid.UUID(str(token))
        except ValueError:
            raise BadInput(reason=_("The form has expired: open it again."), field="token") from None
        earlier = Delivery.objects.filter(token=token).first()
        if earlier is not None:
            return earlier
    order = Order.objects.select_for_update().select_related("fiscal_year").get(pk=order.pk)
    if by is not None:
        access.require(by, "acquisitions.receive_order", at=order.branch)
    if order.status != Order.Status.ORDERED:
        raise _state_refused(order, _("received"))
    lines = {line.pk: line for line in order.lines.select_related("record", "request")}
    plan = []
    for line_id, inspection in counts.items():
        line = lines.get(int(line_id))
        if line is None:
            raise NotFound(message=_("This line is not on order {number}.").format(number=order.number))
        outstanding = list(OrderCopy.objects.select_for_update().filter(line=line, status=OrderCopy.Status.ORDERED)
                           .select_related("branch").order_by("copy_no"))
        try:
            rules.check_inspection(inspection, outstanding=len(outstanding), title=line.record.title)
        except rules.Refusal as exc:
            raise _refuse(exc) from None
        plan.append((line, inspection, outstanding[:inspection.received]))
    if not any(any(vars(i).values()) for _l, i, _c in plan):
        raise BadInput(reason=_("Enter what was delivered for at least one line."), field="counts")
    delivery = Delivery.objects.create(order=order, token=token or uuid.uuid4(), received_on=received_on,
                                       note=note, by=by if getattr(by, "is_authenticated", False) else None)
    item_type = _item_type()
    for line, inspection, copies in plan:
        DeliveryLine.objects.create(delivery=delivery, line=line, received=inspection.received,
                                    short=inspection.short, damaged=inspection.damaged,
                                    wrong_title=inspection.wrong_title)
        for copy in copies:
            item = catalog_services.add_item(
                line.record, barcode=_barcode(copy, order.fiscal_year.year), branch=copy.branch,
                item_type=item_type, shelving_location=copy.shelving_location, price=copy.cost,
                acquired_on=received_on, notes=_("order {number}").format(number=order.number))
            catalog_services.set_item_status(item, PROCESSING_STATUS, user=by, now=now,
                                             note=_("received on order {number}, in processing").format(
                                                 number=order.number))
            copy.item = item
            copy.status = OrderCopy.Status.RECEIVED
            copy.received_at = now
            audit(copy, by, "received")
            copy.save(update_fields=["item", "status", "received_at"])
        if copies and line.request_id and line.request.status in (Request.Status.ORDERED, Request.Status.ACCEPTED,
                                                                  Request.Status.NEW):
            _set_request(line.request, Request.Status.RECEIVED, by=by, now=now, notice="received")
    _settle(order, by=by)
    return delivery


@transaction.atomic
def shelve(*, copies: list[OrderCopy], by=None, now: datetime | None = None) -> int:
    """Catalogued copies go on the shelf: their items become available; waiting patrons are told."""
    now = _now(now)
    done = 0
    found = (OrderCopy.objects.select_for_update(of=("self",)).filter(pk__in=[c.pk for c in copies],
                                                                    status=OrderCopy.Status.RECEIVED)
             .select_related("item", "line__request").order_by("pk"))
    for copy in found:
        if by is not None:
            access.require(by, "acquisitions.receive_order", at=copy.branch)
        if copy.item.status != PROCESSING_STATUS:
            continue
        catalog_services.set_item_status(copy.item, Item.Status.AVAILABLE, user=by, now=now,
                                         note=_("catalogued, on the shelf"))
        done += 1
        request = copy.line.request
        if request is not None and request.status != Request.Status.ON_SHELF:
            _set_request(request, Request.Status.ON_SHELF, by=by, now=now, notice="on_shelf")
    return done


@transaction.atomic
def record_invoice(*, order: Order, number: str, invoiced_on: date, by=None, copies: list[int] | None = None,
                   now: datetime | None = None) -> Invoice:
    """Record the vendor's invoice for received copies: each copy's commitment becomes spending."""
    now = _now(now)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if by is not None:
        access.require(by, "acquisitions.change_order", at=order.branch)
    if not (number or "").strip():
        raise BadInput(reason=_("Give the vendor's invoice number."), field="number")
    if Invoice.objects.filter(order=order, number=number.strip()).exists():
        raise BadInput(reason=_("This invoice is already recorded."), field="number")
    qs = OrderCopy.objects.filter(line__order=order, status=OrderCopy.Status.RECEIVED, invoice__isnull=True)
    if copies is not None:
        qs = qs.filter(pk__in=copies)
    found = list(qs.order_by("fund_id", "pk"))
    if not found:
        raise BadInput(reason=_("There are no received copies left to invoice on this order."), field="copies")
    invoice = Invoice.objects.create(order=order, number=number.strip(), invoiced_on=invoiced_on,
                                     amount=sum((c.cost for c in found), rules.ZERO),
                                     by=by if getattr(by, "is_authenticated", False) else None)
    funds = {fid: _locked(Fund(pk=fid)) for fid in sorted({c.fund_id for c in found})}
    for copy in found:
        _move(funds[copy.fund_id], "spend", copy.cost, by=by, now=now, copy=copy,
              reason=_("invoice {number}").format(number=invoice.number))
        copy.invoice = invoice
        copy.save(update_fields=["invoice"])
    return invoice


@transaction.atomic
def claim(*, order: Order, today: date, note: str = "", by=None) -> Claim:
    """Record a claim to the vendor for the copies still outstanding (late, short, damaged, wrong)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if by is not None:
        access.require(by, "acquisitions.receive_order", at=order.branch)
    outstanding = OrderCopy.objects.filter(line__order=order, status=OrderCopy.Status.ORDERED).count()
    if order.status != Order.Status.ORDERED or not outstanding:
        raise BadInput(reason=_("Nothing is outstanding on order {number}.").format(number=order.number),
                       field="order")
    return Claim.objects.create(order=order, sent_on=today, copies=outstanding, note=note,
                                by=by if getattr(by, "is_authenticated", False) else None)
