"""Helpers shared by the verbs of acquisitions (``services``, ``orders``, ``receiving``, ``donations``):
money parsing, locked fund moves with their ``FundEntry``, the fiscal-year check, request status changes,
cancelling a copy and settling an order."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.catalog.constants import DEFAULT_ITEM_TYPE
from bkklib.catalog.models import Item, ItemType
from bkklib.core.history import audit

from . import rules, tasks
from .exceptions import AcquisitionRefused, BadInput, OrderStateRefused
from .models import (
    FiscalYear,
    Fund,
    FundEntry,
    Order,
    OrderCopy,
    Request,
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


def _state_refused(order: Order, action: str) -> OrderStateRefused:
    return OrderStateRefused(number=order.number, status=order.get_status_display(), action=action)


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


def _item_type() -> ItemType:
    found = ItemType.objects.filter(code=DEFAULT_ITEM_TYPE).first() or ItemType.objects.order_by("pk").first()
    if found is None:
        raise BadInput(reason=_("No item type is set up in the catalog yet."), field="item_type")
    return found
