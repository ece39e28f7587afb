"""The verbs of acquisitions: funds (allocate, transfer, override, close the year with roll-over), vendors,
requests, orders (lines, approval, placing, cancelling, invoicing), receiving, claims and donations.

Every verb is one transaction; a fund row is locked (``select_for_update``) before its figures change and
every change writes a ``FundEntry``. Refusals come from ``rules`` and are raised as ``AcquisitionRefused``
before anything is stored.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.constants import DEFAULT_ITEM_TYPE
from bkklib.catalog.models import Item, ItemType, Record
from bkklib.core import calendar
from bkklib.core.exceptions import NotFound
from bkklib.core.history import audit
from bkklib.network import access

from . import rules, tasks
from .exceptions import AcquisitionRefused, BadInput, OrderStateRefused
from .models import (
    Claim,
    Delivery,
    DeliveryLine,
    DonatedCopy,
    Donation,
    FiscalYear,
    Fund,
    FundEntry,
    Invoice,
    Order,
    OrderCopy,
    OrderLine,
    Request,
    Vendor,
)

# A received copy waits "in processing" (not lendable, not on the shelf) until it is catalogued and
# put on the shelf (``shelve``).
PROCESSING_STATUS = Item.Status.IN_PROCESSING
OUTSTANDING = (OrderCopy.Status.PLANNED, OrderCopy.Status.ORDERED)


def _refuse(exc: rules.Refusal, **extra):
    return AcquisitionRefused(exc.reason, **{**exc.params, **extra})


def _decimal(value, name: str) -> Decimal:
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise BadInput(reason=_("“{value}” is not a number ({name}).").format(value=value, name=name),
                       field=name) from None


def _now(now):
    return now or timezone.now()


def _state(fund: Fund) -> rules.FundState:
    return rules.FundState(fund.budget, fund.committed, fund.spent, fund.overdraft)


def _store(fund: Fund, state: rules.FundState, *, kind: str, amount: Decimal, by, now, reason: str = "",
           copy: OrderCopy | None = None, other: Fund | None = None) -> Fund:
    fund.budget, fund.committed, fund.spent, fund.overdraft = (state.budget, state.committed, state.spent,
                                                                state.overdraft)
    audit(fund, by, reason or kind)
    fund.save(update_fields=["budget", "committed", "spent", "overdraft", "updated_at"])
    FundEntry.objects.create(fund=fund, kind=kind, amount=rules.money(amount), copy=copy, other_fund=other,
                             reason=str(reason)[:300], by=by if getattr(by, "is_authenticated", False) else None,
                             at=now)
    return fund


def _locked(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().select_related("fiscal_year", "branch").get(pk=fund.pk)


def _move(fund: Fund, op: str, amount: Decimal, *, by, now, copy=None, reason: str = "") -> Fund:
    """Apply one of rules.commit / release / spend to a locked fund and record it."""
    fn = {"commit": rules.commit, "release": rules.release, "spend": rules.spend}[op]
    try:
        state = fn(_state(fund), amount)
    except rules.Refusal as exc:
        raise _refuse(exc, fund=fund.name) from None
    if amount == 0:
        return fund
    return _store(fund, state, kind=op, amount=amount, by=by, now=now, copy=copy, reason=reason)


# --- fiscal years and funds ---------------------------------------------------------------------------

def fiscal_year(year: int) -> FiscalYear:
    """Return fiscal year ``year`` (BE), creating it open."""
    if not 2500 <= int(year) <= 2700:
        raise BadInput(reason=_("{year} is not a Buddhist-Era fiscal year.").format(year=year), field="fiscal_year")
    return FiscalYear.objects.get_or_create(year=int(year))[0]


def _check_open(fy: FiscalYear) -> None:
    try:
        rules.check_year_open(fy.year, fy.is_closed)
    except rules.Refusal as exc:
        raise _refuse(exc) from None


@transaction.atomic
def create_fund(*, year: int, branch, code: str, name: str, budget, by=None, now: datetime | None = None) -> Fund:
    """Open a fund of ``branch`` in fiscal year ``year`` with ``budget`` baht."""
    now = _now(now)
    if by is not None:
        access.require(by, "acquisitions.add_fund", at=branch)
    fy = fiscal_year(year)
    _check_open(fy)
    amount = _decimal(budget, "budget")
    if amount < 0:
        raise AcquisitionRefused("bad_amount", amount=amount)
    if Fund.objects.filter(fiscal_year=fy, branch=branch, code=code).exists():
        raise BadInput(reason=_("This branch already has a fund with this code in this fiscal year."), field="code")
    fund = Fund(fiscal_year=fy, branch=branch, code=code, name=name)
    fund.full_clean(exclude=["fiscal_year", "branch"])
    audit(fund, by, "opened")
    fund.save()
    if amount > 0:
        _store(fund, rules.allocate(_state(fund), amount), kind=FundEntry.Kind.ALLOCATE, amount=amount, by=by,
               now=now, reason=_("initial budget"))
    return fund


@transaction.atomic
def allocate(*, fund: Fund, amount, reason: str = "", by=None, now: datetime | None = None) -> Fund:
    """Add budget to ``fund`` (a supplementary allocation)."""
    if by is not None:
        access.require(by, "acquisitions.change_fund", at=fund.branch)
    fund = _locked(fund)
    _check_open(fund.fiscal_year)
    amount = _decimal(amount, "amount")
    try:
        state = rules.allocate(_state(fund), amount)
    except rules.Refusal as exc:
        raise _refuse(exc) from None
    return _store(fund, state, kind=FundEntry.Kind.ALLOCATE, amount=amount, by=by, now=_now(now), reason=reason)


@transaction.atomic
def transfer(*, source: Fund, target: Fund, amount, reason: str, by=None, now: datetime | None = None) -> None:
    """Move free budget between two funds of the same fiscal year, with a reason."""
    now = _now(now)
    if not (reason or "").strip():
        raise BadInput(reason=_("Say why the money is transferred."), field="reason")
    if source.pk == target.pk:
        raise BadInput(reason=_("Choose two different funds."), field="target")
    if by is not None:
        access.require(by, "acquisitions.transfer_fund", at=source.branch)
        access.require(by, "acquisitions.transfer_fund", at=target.branch)
    first, second = sorted([source, target], key=lambda f: f.pk)  # lock in one order: no deadlock
    locked = {f.pk: _locked(f) for f in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    if source.fiscal_year_id != target.fiscal_year_id:
        raise BadInput(reason=_("Money can be transferred only between funds of the same fiscal year."),
                       field="target")
    _check_open(source.fiscal_year)
    amount = _decimal(amount, "amount")
    try:
        new_source, new_target = rules.transfer(_state(source), _state(target), amount)
    except rules.Refusal as exc:
        raise _refuse(exc) from None
    _store(source, new_source, kind=FundEntry.Kind.TRANSFER_OUT, amount=amount, by=by, now=now, reason=reason,
           other=target)
    _store(target, new_target, kind=FundEntry.Kind.TRANSFER_IN, amount=amount, by=by, now=now, reason=reason,
           other=source)


@transaction.atomic
def allow_overdraft(*, fund: Fund, amount, reason: str, by=None, now: datetime | None = None) -> Fund:
    """Let ``fund`` go ``amount`` baht further below zero: an explicit override, recorded with its reason."""
    if not (reason or "").strip():
        raise BadInput(reason=_("An override needs a reason."), field="reason")
    if by is not None:
        access.require(by, "acquisitions.override_fund", at=fund.branch)
    fund = _locked(fund)
    amount = _decimal(amount, "amount")
    try:
        state = rules.override(_state(fund), amount)
    except rules.Refusal as exc:
        raise _refuse(exc) from None
    return _store(fund, state, kind=FundEntry.Kind.OVERRIDE, amount=amount, by=by, now=_now(now), reason=reason)


@transaction.atomic
def close_year(*, year: int, rule: str = "commitments", by=None, now: datetime | None = None) -> FiscalYear:
    """Close fiscal year ``year``: carry each fund's open copies (and, by ``rule``, its free budget) into the
    same fund of the next year, or cancel them (``nothing``); then refuse every new order in it."""
    now = _now(now)
    if rule not in rules.ROLLOVER_RULES:
        raise AcquisitionRefused("bad_rollover_rule", rule=rule)
    fy = FiscalYear.objects.select_for_update().filter(year=year).first()
    if fy is None:
        raise BadInput(reason=_("There is no fiscal year {year}.").format(year=year), field="year")
    _check_open(fy)
    following = fiscal_year(fy.year + 1)
    for fund in Fund.objects.filter(fiscal_year=fy).order_by("pk"):
        if by is not None:
            access.require(by, "acquisitions.close_fiscal_year", at=fund.branch)
        fund = _locked(fund)
        open_copies = list(OrderCopy.objects.filter(fund=fund, status=OrderCopy.Status.ORDERED).order_by("pk"))
        open_sum = sum((c.cost for c in open_copies), rules.ZERO)
        carried, free = rules.rollover_amounts(_state(fund), open_sum, rule)
        if rule == "nothing":
            for copy in open_copies:
                _cancel_copy(copy, fund=fund, by=by, now=now, reason=_("fiscal year {year} closed").format(year=year))
            continue
        if not (carried or free):
            continue
        new = Fund.objects.filter(fiscal_year=following, branch=fund.branch, code=fund.code).first()
        if new is None:
            new = Fund.objects.create(fiscal_year=following, branch=fund.branch, code=fund.code, name=fund.name,
                                      is_demo=fund.is_demo)
        new = _locked(new)
        why = _("carried over from fiscal year {year}").format(year=year)
        for copy in open_copies:
            _move(fund, "release", copy.cost, by=by, now=now, copy=copy, reason=why)
        total = carried + free
        old_state = rules.FundState(fund.budget - total, fund.committed, fund.spent, fund.overdraft)
        _store(fund, old_state, kind=FundEntry.Kind.ROLLOVER_OUT, amount=total, by=by, now=now, reason=why,
               other=new)
        _store(new, rules.allocate(_state(new), total), kind=FundEntry.Kind.ROLLOVER_IN, amount=total, by=by,
               now=now, reason=why, other=fund)
        for copy in open_copies:
            copy.fund = new
            audit(copy, by, why)
            copy.save(update_fields=["fund"])
            _move(new, "commit", copy.cost, by=by, now=now, copy=copy, reason=why)
    fy.is_closed = True
    fy.closed_at = now
    audit(fy, by, f"closed ({rule})")
    fy.save()
    return fy


# --- vendors -----------------------------------------------------------------------------------------

@transaction.atomic
def save_vendor(*, by=None, vendor: Vendor | None = None, **fields) -> Vendor:
    """Create or change a vendor; the tax ID must be a valid Thai taxpayer number."""
    vendor = vendor or Vendor()
    for name, value in fields.items():
        setattr(vendor, name, value)
    vendor.tax_id = "".join(ch for ch in str(vendor.tax_id) if ch.isdigit())
    try:
        vendor.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BadInput(reason=" ".join(messages), field=field) from None
    audit(vendor, by, "saved")
    vendor.save()
    return vendor


# --- requests ----------------------------------------------------------------------------------------

def _clean_request_fields(title: str, author: str, isbn: str) -> tuple[str, str, str]:
    title = (title or "").strip()
    if not title:
        raise BadInput(reason=_("Give the title of the book."), field="title")
    isbn = (isbn or "").replace("-", "").replace(" ", "").upper()
    if isbn:
        from stdnum import isbn as stdisbn

        if not stdisbn.is_valid(isbn):
            raise BadInput(reason=_("“{isbn}” is not a valid ISBN.").format(isbn=isbn), field="isbn")
    return title[:500], (author or "").strip()[:300], isbn


@transaction.atomic
def suggest(*, patron, title: str, author: str = "", isbn: str = "", note: str = "", branch=None,
            now: datetime | None = None) -> Request:
    """A patron suggests a book for their home branch (or ``branch``) to buy."""
    title, author, isbn = _clean_request_fields(title, author, isbn)
    request = Request(patron=patron, branch=branch or patron.home_branch, title=title, author=author, isbn=isbn,
                      note=(note or "").strip())
    audit(request, None, "suggested by patron")
    request.save()
    return request


@transaction.atomic
def staff_request(*, by, branch, title: str, author: str = "", isbn: str = "", note: str = "") -> Request:
    """Staff ask for a title to be bought for ``branch``."""
    access.require(by, "acquisitions.add_request", at=branch)
    title, author, isbn = _clean_request_fields(title, author, isbn)
    request = Request(requested_by=by, branch=branch, title=title, author=author, isbn=isbn, note=note or "",
                      status=Request.Status.ACCEPTED)
    audit(request, by, "requested by staff")
    request.save()
    return request


def _set_request(request: Request, status: str, *, by, now, reason: str = "", notice: str = "") -> None:
    request.status = status
    if status in (Request.Status.ACCEPTED, Request.Status.DECLINED):
        request.decided_at = now
    if reason:
        request.decline_reason = reason[:300]
    audit(request, by, status)
    request.save()
    if notice and request.patron_id:
        request_id = request.pk
        transaction.on_commit(lambda: tasks.send_request_notice(request_id, notice))


@transaction.atomic
def decide_request(*, request: Request, accept: bool, reason: str = "", by=None,
                   now: datetime | None = None) -> Request:
    """Accept a request for purchase, or decline it with a reason the patron is told."""
    if by is not None:
        access.require(by, "acquisitions.change_request", at=request.branch)
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.status not in (Request.Status.NEW, Request.Status.ACCEPTED):
        raise BadInput(reason=_("This request is already “{status}”.").format(
            status=request.get_status_display()), field="status")
    if accept:
        _set_request(request, Request.Status.ACCEPTED, by=by, now=_now(now))
    else:
        if not (reason or "").strip():
            raise BadInput(reason=_("Say why the request is declined: the reader is told."), field="reason")
        _set_request(request, Request.Status.DECLINED, by=by, now=_now(now), reason=reason.strip(),
                     notice="declined")
    return request


# --- orders ------------------------------------------------------------------------------------------

def _state_refused(order: Order, action: str) -> OrderStateRefused:
    return OrderStateRefused(number=order.number, status=order.get_status_display(), action=action)


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


def _cancel_copy(copy: OrderCopy, *, fund: Fund | None, by, now, reason: str) -> None:
    if copy.status == OrderCopy.Status.ORDERED:
        _move(fund or _locked(copy.fund), "release", copy.cost, by=by, now=now, copy=copy, reason=reason)
    copy.status = OrderCopy.Status.CANCELLED
    audit(copy, by, reason)
    copy.save(update_fields=["status"])


def _settle(order: Order, *, by) -> None:
    """Close an order when none of its copies is still outstanding."""
    if order.status not in (Order.Status.ORDERED, Order.Status.APPROVED, Order.Status.SELECTION):
        return
    statuses = set(OrderCopy.objects.filter(line__order=order).values_list("status", flat=True))
    if statuses & set(OUTSTANDING):
        return
    order.status = Order.Status.CLOSED if OrderCopy.Status.RECEIVED in statuses else Order.Status.CANCELLED
    audit(order, by, order.status)
    order.save(update_fields=["status", "updated_at"])


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


def _barcode(copy: OrderCopy, year: int) -> str:
    return f"A{year}{copy.pk:09d}"


def _item_type() -> ItemType:
    found = ItemType.objects.filter(code=DEFAULT_ITEM_TYPE).first() or ItemType.objects.order_by("pk").first()
    if found is None:
        raise BadInput(reason=_("No item type is set up in the catalog yet."), field="item_type")
    return found


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


# --- donations ---------------------------------------------------------------------------------------

@transaction.atomic
def record_donation(*, branch, donor_name: str, count: int, received_on: date, condition: str = "good",
                    donor_contact: str = "", description: str = "", by=None) -> Donation:
    if by is not None:
        access.require(by, "acquisitions.add_donation", at=branch)
    donation = Donation(branch=branch, donor_name=(donor_name or "").strip(), count=count, received_on=received_on,
                        condition=condition, donor_contact=donor_contact, description=description)
    try:
        donation.full_clean(exclude=["branch"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BadInput(reason=" ".join(messages), field=field) from None
    audit(donation, by, "received")
    donation.save()
    return donation


@transaction.atomic
def decide_donation(*, donation: Donation, accepted_count: int, note: str = "", by=None) -> Donation:
    """Accept ``accepted_count`` of the donated books (0: decline them all, with a note)."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if by is not None:
        access.require(by, "acquisitions.change_donation", at=donation.branch)
    if not 0 <= int(accepted_count) <= donation.count:
        raise BadInput(reason=_("Between 0 and {count} books can be accepted.").format(count=donation.count),
                       field="accepted_count")
    if int(accepted_count) == 0 and not (note or "").strip():
        raise BadInput(reason=_("Say why the donation is declined."), field="note")
    donation.accepted_count = int(accepted_count)
    donation.status = Donation.Status.ACCEPTED if donation.accepted_count else Donation.Status.DECLINED
    donation.decision_note = (note or "").strip()[:300]
    audit(donation, by, donation.status)
    donation.save()
    return donation


@transaction.atomic
def add_donated_copies(*, donation: Donation, copies: int, record: Record | None = None, title: str = "",
                       author: str = "", isbn: str = "", shelving_location: str = "", by=None,
                       now: datetime | None = None) -> list[Item]:
    """Add accepted donated books to the collection (items in processing, no fund, no cost)."""
    now = _now(now)
    donation = Donation.objects.select_for_update().select_related("branch").get(pk=donation.pk)
    if by is not None:
        access.require(by, "acquisitions.change_donation", at=donation.branch)
    if donation.status != Donation.Status.ACCEPTED:
        raise BadInput(reason=_("Accept the donation before adding its books."), field="status")
    left = donation.accepted_count - donation.copies.count()
    if not 1 <= int(copies) <= left:
        raise BadInput(reason=_("{left} accepted books are left to add.").format(left=left), field="copies")
    if record is None:
        title, author, isbn = _clean_request_fields(title, author, isbn)
        record = brief_record(title=title, author=author, isbn=isbn, by=by)
    item_type = _item_type()
    items = []
    for _i in range(int(copies)):
        link = DonatedCopy(donation=donation)
        number = DonatedCopy.objects.count() + 1
        barcode = f"D{donation.pk:06d}{number:07d}"
        while Item.objects.filter(barcode=barcode).exists():
            number += 1
            barcode = f"D{donation.pk:06d}{number:07d}"
        item = catalog_services.add_item(record, barcode=barcode, branch=donation.branch, item_type=item_type,
                                         shelving_location=shelving_location, acquired_on=donation.received_on,
                                         notes=_("donated by {donor}").format(donor=donation.donor_name))
        catalog_services.set_item_status(item, PROCESSING_STATUS, user=by, now=now, note=_("donation, in processing"))
        link.item = item
        link.save()
        items.append(item)
    return items
