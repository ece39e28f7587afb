"""The verbs of acquisitions: funds (allocate, transfer, override, close the year with roll-over), vendors,
requests, orders (lines, approval, placing, cancelling, invoicing), receiving, claims and donations.

Every verb is one transaction; a fund row is locked (``select_for_update``) before its figures change and
every change writes a ``FundEntry``. Refusals come from ``rules`` and are raised as ``AcquisitionRefused``
before anything is stored.

Funds, vendors and requests are here; orders are in ``orders``, receiving, invoices and claims in
``receiving``, donations in ``donations``, shared helpers in ``_common``. Every verb is re-exported here.
"""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bkklib.core.history import audit
from bkklib.network import access

from . import rules
from ._common import (
    OUTSTANDING,
    PROCESSING_STATUS,
    _cancel_copy,
    _check_open,
    _clean_request_fields,
    _decimal,
    _locked,
    _move,
    _now,
    _refuse,
    _set_request,
    _state,
    _store,
    fiscal_year,
)
from .donations import add_donated_copies, decide_donation, record_donation
from .exceptions import AcquisitionRefused, BadInput
from .models import (
    FiscalYear,
    Fund,
    FundEntry,
    OrderCopy,
    Request,
    Vendor,
)
from .orders import add_line, approve_order, brief_record, cancel_copies, create_order, place_order, remove_line
from .receiving import claim, receive, record_invoice, shelve

__all__ = [
    "PROCESSING_STATUS",
    "OUTSTANDING",
    "fiscal_year",
    "create_fund",
    "allocate",
    "transfer",
    "allow_overdraft",
    "close_year",
    "save_vendor",
    "suggest",
    "staff_request",
    "decide_request",
    "create_order",
    "brief_record",
    "add_line",
    "remove_line",
    "approve_order",
    "place_order",
    "cancel_copies",
    "receive",
    "shelve",
    "record_invoice",
    "claim",
    "record_donation",
    "decide_donation",
    "add_donated_copies",
]


# --- fiscal years and funds ---------------------------------------------------------------------------

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
