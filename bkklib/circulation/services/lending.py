"""Desk verbs on items: checkout, checkin, renew, lost / claims returned / damaged, transfers.

Every verb runs in one transaction and locks the item row first (then the patron), so two desks
scanning the same barcode in the same second are served one after the other, never both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from bkklib.catalog import services as catalog_services
from bkklib.catalog.models import Item
from bkklib.core import calendar, metrics
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch

from .. import queries, rules
from ..exceptions import OVERDUE_RENEWAL, OVERDUE_WHY, CheckinRefused, CheckoutRefused, ItemNotAvailable, RenewalRefused
from ..models import Fine, Hold, Loan, Patron, Transit
from .common import audit, moment, require


def thai_date(day) -> str:
    """Return ``day`` for people in the active language (Buddhist Era in Thai, Common Era in English)."""
    return calendar.thai_date(day, lang=translation.get_language() or "th")


def _patron_params(patron: Patron, standing: queries.Standing, policy: rules.Policy, item: Item | None = None) -> dict:
    b = standing.borrower
    return {
        "patron": patron.full_name or patron.card_number, "card": patron.card_number,
        "date": thai_date(patron.card_expires_on), "reason": standing.block_reason,
        "amount": f"{b.fines_due:,.2f}", "limit": "", "count": "",
        "barcode": item.barcode if item else "", "item_type": str(item.item_type) if item else "",
    }


def refusal_params(reason: str, patron: Patron, standing: queries.Standing, policy: rules.Policy,
                   item: Item | None = None) -> dict:
    """Return the values a refusal message of ``reason`` names (limits, amounts, dates), for services and pages."""
    params = _patron_params(patron, standing, policy, item)
    b = standing.borrower
    if reason == "fines_due":
        params["limit"] = f"{b.fines_block_amount:,.2f}"
    elif reason == "loan_limit":
        params.update(count=b.open_loans, limit=policy.max_loans)
    elif reason == "loan_limit_item_type":
        params.update(count=b.open_loans_of_type, limit=policy.max_loans_of_type)
    elif reason == "hold_limit":
        params.update(count=b.active_holds, limit=policy.max_holds)
    return params


# Branches whose items are lent only at that branch (outreach, issue 22: deposits and vehicles).
OUTPOST_KINDS = (Branch.Kind.READING_HOUSE, Branch.Kind.MOBILE_UNIT)


def _lock_item(item: Item | int) -> Item:
    pk = item.pk if isinstance(item, Item) else item
    return Item.objects.select_for_update().get(pk=pk)


def _refuse_unavailable(item: Item, patron: Patron | None) -> Hold | None:
    """Raise ItemNotAvailable unless ``item`` may be lent (to ``patron``); return the hold it fulfils."""
    status = item.status
    if status == Item.Status.AVAILABLE:
        return None
    if status == Item.Status.ON_LOAN:
        loan = queries.open_loan_of(item)
        raise ItemNotAvailable("item_on_loan", barcode=item.barcode,
                               date=thai_date(loan.due_on) if loan else "—", field="item_barcode")
    if status == Item.Status.IN_TRANSIT:
        transit = Transit.objects.filter(item=item, received_at__isnull=True).select_related("to_branch").first()
        raise ItemNotAvailable("item_in_transit", barcode=item.barcode,
                               branch=transit.to_branch.name_th if transit else "—", field="item_barcode")
    if status == Item.Status.ON_HOLD_SHELF:
        hold = Hold.objects.filter(trapped_item=item, status=Hold.Status.READY).first()
        if hold is not None and patron is not None and hold.patron_id == patron.pk:
            return hold
        raise ItemNotAvailable("item_on_hold_shelf", barcode=item.barcode, field="item_barcode")
    raise ItemNotAvailable("item_not_available", barcode=item.barcode, status=item.get_status_display(),
                           field="item_barcode")


def checkout(*, item: Item, patron: Patron, staff, desk: Branch, now: datetime | None = None) -> Loan:
    """Lend ``item`` to ``patron`` at the ``desk`` branch and return the loan.

    Any item of the network may be lent at any desk; ``staff`` must work at ``desk``. The due date
    is the first day the desk's branch is open on or after the policy's loan period. A hold of the
    patron on the title (waiting or on the shelf) is fulfilled by the loan.

    Raise ItemNotAvailable or CheckoutRefused (with the reason code) or NotPermitted.
    """
    now, today = moment(now)
    require(staff, "circulation.add_loan", desk, on=today)
    with transaction.atomic():
        # Lock the copy, then the patron: two desks can scan the same barcode in the same second,
        # and two items for one patron must not both slip under the loan limit.
        item = (Item.objects.select_for_update(of=("self",)).select_related("item_type", "record", "branch")
                .defer("record__marc").get(pk=item.pk))
        patron = Patron.objects.select_for_update(of=("self",)).select_related("category").get(pk=patron.pk)
        trapped_hold = _refuse_unavailable(item, patron)
        # Outreach (issue 22): an item placed at a reading house (deposit collection) or a mobile
        # unit (a vehicle's collection) is lent only there, never at a library while it is out.
        if item.branch.kind in OUTPOST_KINDS and item.branch_id != desk.pk:
            raise ItemNotAvailable("item_at_outpost", barcode=item.barcode, branch=item.branch.name_th,
                                   field="item_barcode")
        policy = queries.policy_for(branch=desk, category_id=patron.category_id, item_type_id=item.item_type_id)
        standing = queries.standing(patron, item_type_id=item.item_type_id)
        if reason := rules.checkout_refusal(borrower=standing.borrower, policy=policy, today=today):
            raise CheckoutRefused(reason, **refusal_params(reason, patron, standing, policy, item))
        is_open = queries.open_days(desk, today, policy.loan_days)
        loan = Loan(
            item=item, patron=patron, branch=desk, checked_out_at=now, checked_out_by=staff,
            due_on=rules.due_date(start=today, loan_days=policy.loan_days, is_open=is_open),
            fine_per_day=policy.fine_per_day, max_fine=policy.max_fine, grace_days=policy.grace_days,
            item_type_id=item.item_type_id, patron_category_id=patron.category_id,
            age_band=rules.age_band(patron.birth_date, today),
        )
        audit(loan, staff)
        try:
            with transaction.atomic():
                loan.save()
        except IntegrityError:
            # The unique open-loan index is the last word if a status was out of step with the loans.
            raise ItemNotAvailable("item_on_loan", barcode=item.barcode, date="—", field="item_barcode") from None
        hold = trapped_hold
        if hold is None and standing.borrower.active_holds:  # most patrons hold nothing: skip the look-up
            hold = Hold.objects.filter(Q(item__isnull=True) | Q(item=item), patron=patron, record_id=item.record_id,
                                       status=Hold.Status.WAITING).first()
        if hold is not None:
            hold.status, hold.ended_at = Hold.Status.FULFILLED, now
            audit(hold, staff, _("collected"))
            hold.save()
        catalog_services.set_item_status(item, Item.Status.ON_LOAN, user=staff, now=now)
        transaction.on_commit(lambda: metrics.circulation_transaction("checkout"))
    return loan


@dataclass
class CheckinResult:
    """What happened at a checkin: the loan closed, the fine charged, and where the item goes now."""

    item: Item
    loan: Loan | None = None
    fine: Fine | None = None
    hold: Hold | None = None
    transit: Transit | None = None
    messages: list[str] = field(default_factory=list)
    previous_status: str = ""  # the item's status before the checkin (``Item.Status`` value)

    @property
    def was_on_loan(self) -> bool:
        """Return whether the checkin closed a loan (False: the item came back without being lent)."""
        return self.loan is not None

    @property
    def previous_status_label(self) -> str:
        """Return the item's status before the checkin, for people."""
        return str(Item.Status(self.previous_status).label) if self.previous_status else ""

    @property
    def destination(self) -> str:
        """Return ``shelf``, ``hold_shelf`` or ``transit``."""
        if self.transit is not None:
            return "transit"
        if self.hold is not None and self.hold.status == Hold.Status.READY:
            return "hold_shelf"
        return "shelf"


def _charge_overdue(loan: Loan, *, until: date, staff, desk: Branch, now: datetime) -> Fine | None:
    """Add the open days late up to ``until`` to the loan's one overdue fine (capped); return it if any."""
    if until <= loan.due_on or loan.fine_per_day <= 0:
        return None
    is_open = network_queries.open_day_checker(loan.branch, loan.due_on, until)
    amount = rules.overdue_fine(due_on=loan.due_on, returned_on=until, fine_per_day=loan.fine_per_day,
                                max_fine=loan.max_fine, grace_days=loan.grace_days, is_open=is_open)
    if amount <= 0:
        return None
    fine = Fine.objects.select_for_update().filter(loan=loan, kind=Fine.Kind.OVERDUE).first()
    if fine is None:
        fine = Fine(patron_id=loan.patron_id, kind=Fine.Kind.OVERDUE, loan=loan, item_id=loan.item_id, branch=desk,
                    amount=Decimal("0.00"), cap=loan.max_fine, created_at=now, created_by=staff)
    # A renewed overdue loan was charged up to the renewal; the new period adds to it, within the cap.
    fine.amount = min(fine.cap if fine.cap is not None else amount, fine.amount + amount)
    days = rules.open_days_late(due_on=loan.due_on, returned_on=until, is_open=is_open)
    fine.description = _("{days} open day(s) late, due {due}").format(days=days, due=thai_date(loan.due_on))
    fine.settled_at = None if fine.amount > fine.paid + fine.waived else fine.settled_at
    audit(fine, staff)
    fine.save()
    return fine


def next_hold(item: Item, today: date) -> Hold | None:
    """Return (locked) the first waiting hold this item can fill, in queue order, skipping suspended ones."""
    return (Hold.objects.select_for_update()
            .filter(Q(item__isnull=True) | Q(item=item), record_id=item.record_id, status=Hold.Status.WAITING)
            .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lt=today))
            .order_by("position").first())


def send_item(item: Item, *, to: Branch, desk: Branch, reason: str, hold: Hold | None, staff, now: datetime) -> Transit:
    """Start a transit of ``item`` from ``desk`` to ``to`` (the item's status is the caller's business)."""
    transit = Transit(item=item, from_branch=desk, to_branch=to, reason=reason, hold=hold, sent_at=now, sent_by=staff)
    audit(transit, staff)
    transit.save()
    return transit


def make_ready(hold: Hold, item: Item, *, staff, now: datetime, today: date) -> None:
    """Put ``hold`` on its pickup branch's hold shelf with ``item``; the hold-ready notice goes after commit."""
    policy = queries.policy_for(branch=hold.pickup_branch, category_id=hold.patron.category_id,
                                item_type_id=item.item_type_id)
    is_open = queries.open_days(hold.pickup_branch, today, policy.hold_shelf_days)
    hold.status, hold.trapped_item, hold.ready_at = Hold.Status.READY, item, now
    hold.expires_on = rules.hold_shelf_expiry(ready_on=today, hold_shelf_days=policy.hold_shelf_days, is_open=is_open)
    audit(hold, staff, _("on the hold shelf"))
    hold.save()
    from .. import tasks  # background half: the hold-ready notice goes out after commit

    transaction.on_commit(lambda: tasks.send_hold_ready_notice(hold.pk))


def checkin(*, item: Item, staff, desk: Branch, now: datetime | None = None) -> CheckinResult:
    """Take ``item`` back at ``desk`` and route it: shelf, hold shelf, or transit.

    Closes the open loan (charging the overdue fine on open days only, capped), receives a transit
    addressed here, then: the first waiting hold the item can fill gets it (hold shelf here, or a
    transit to the hold's pickup branch); otherwise an item away from home goes in transit home.
    Raise NotPermitted, or CheckinRefused for an item that is withdrawn.
    """
    now, today = moment(now)
    require(staff, "circulation.change_loan", desk, on=today)
    with transaction.atomic():
        item = (Item.objects.select_for_update(of=("self",)).select_related("item_type", "branch", "record")
                .defer("record__marc").get(pk=item.pk))
        if item.status == Item.Status.WITHDRAWN:
            raise CheckinRefused(barcode=item.barcode, reason=_("it is withdrawn from the collection."),
                                 field="item_barcode")
        result = CheckinResult(item=item, previous_status=item.status)
        loan = Loan.objects.open().select_for_update(of=("self",)).filter(item=item).select_related(
            "patron", "branch").first()
        if loan is not None:
            loan.item = item  # the locked row, with its record: the receipt and the API answer need no query
            loan.returned_at, loan.end_reason = now, Loan.EndReason.RETURNED
            loan.returned_branch, loan.returned_by = desk, staff
            until = today
            if loan.claims_returned_at is not None:  # no fine accrues after the patron's claim
                until = min(today, moment(loan.claims_returned_at)[1])
            result.fine = _charge_overdue(loan, until=until, staff=staff, desk=desk, now=now)
            audit(loan, staff)
            loan.save()
            result.loan = loan
        # An item on loan or on the shelf has no open transit and is trapped for no hold (checkout
        # refuses items in transit or on another patron's hold shelf): most returns skip two look-ups.
        routed = item.status not in (Item.Status.ON_LOAN, Item.Status.AVAILABLE)
        open_transit = (Transit.objects.select_for_update().filter(item=item, received_at__isnull=True).first()
                        if routed else None)
        if open_transit is not None:
            open_transit.received_at, open_transit.received_by = now, staff
            audit(open_transit, staff)
            open_transit.save()
        # A hold that already has this item (it was on its way to the pickup branch) keeps it.
        hold = (Hold.objects.select_for_update(of=("self",)).select_related("patron", "pickup_branch")
                .filter(trapped_item=item, status__in=(Hold.Status.IN_TRANSIT, Hold.Status.READY)).first()
                if routed else None)
        if hold is None:
            hold = next_hold(item, today)
        if hold is not None:
            result.hold = hold
            if hold.pickup_branch_id == desk.pk:
                if hold.status != Hold.Status.READY:
                    make_ready(hold, item, staff=staff, now=now, today=today)
                new_status = Item.Status.ON_HOLD_SHELF
            else:
                hold.status, hold.trapped_item = Hold.Status.IN_TRANSIT, item
                audit(hold, staff, _("on its way to the pickup branch"))
                hold.save()
                result.transit = send_item(item, to=hold.pickup_branch, desk=desk, reason=Transit.Reason.HOLD, hold=hold,
                                       staff=staff, now=now)
                new_status = Item.Status.IN_TRANSIT
        elif item.branch_id != desk.pk:
            result.transit = send_item(item, to=item.branch, desk=desk, reason=Transit.Reason.RETURN_HOME, hold=None,
                                   staff=staff, now=now)
            new_status = Item.Status.IN_TRANSIT
        else:
            new_status = Item.Status.AVAILABLE
        if item.status != new_status:
            catalog_services.set_item_status(item, new_status, user=staff, now=now)
        transaction.on_commit(lambda: metrics.circulation_transaction("checkin"))
    return result


def renew(*, loan: Loan, staff=None, desk: Branch | None = None, patron: Patron | None = None,
          now: datetime | None = None) -> Loan:
    """Extend an open loan by a new loan period; at a desk (``staff`` + ``desk``) or by the patron online.

    Refused (RenewalRefused, with the reason) when the renewals are used up, when another patron
    waits for the title or item, or when the patron may not borrow. An overdue loan is charged its
    fine up to today before the new period starts. ``patron`` (public site) must own the loan.
    """
    now, today = moment(now)
    if staff is not None:
        require(staff, "circulation.change_loan", desk, on=today)
    with transaction.atomic():
        item = (Item.objects.select_for_update(of=("self",)).select_related("record").defer("record__marc")
                .get(pk=loan.item_id))
        loan = (Loan.objects.select_for_update(of=("self",)).select_related("patron", "patron__category", "branch")
                .get(pk=loan.pk))
        loan.item = item  # with its record: the API answer needs no further query
        if loan.returned_at is not None:
            raise RenewalRefused("loan_ended", barcode=item.barcode, field="item_barcode")
        owner = loan.patron
        if patron is not None and owner.pk != patron.pk:
            raise RenewalRefused("not_your_loan", barcode=item.barcode, patron=patron.full_name, field="item_barcode")
        policy = queries.policy_for(branch=loan.branch, category_id=owner.category_id, item_type_id=loan.item_type_id)
        standing = queries.standing(owner, item_type_id=loan.item_type_id)
        held = (Hold.objects.filter(Q(item__isnull=True) | Q(item=item), record_id=item.record_id,
                                    status=Hold.Status.WAITING)
                .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lt=today)).exclude(patron=owner).exists())
        reason = rules.renewal_refusal(borrower=standing.borrower, policy=policy, renewals_done=loan.renewals,
                                       held_for_others=held, today=today)
        if reason:
            params = refusal_params(reason, owner, standing, policy, item)
            params.update(date=thai_date(loan.due_on))
            if reason == "renewal_limit":
                params.update(count=loan.renewals, limit=policy.renewals_allowed)
            if rules.is_overdue(due_on=loan.due_on, today=today):
                raise _overdue_renewal_refused(reason, loan, today=today, params=params)
            raise RenewalRefused(reason, **params)
        if rules.is_overdue(due_on=loan.due_on, today=today):
            _charge_overdue(loan, until=today, staff=staff, desk=desk or loan.branch, now=now)
        is_open = queries.open_days(loan.branch, today, policy.loan_days)
        loan.due_on = rules.renewed_due_date(today=today, current_due=loan.due_on, loan_days=policy.loan_days,
                                             is_open=is_open)
        loan.renewals += 1
        loan.last_renewed_at = now
        audit(loan, staff, _("renewed"))
        loan.save()
        transaction.on_commit(lambda: metrics.circulation_transaction("renew"))
    return loan


def _overdue_renewal_refused(reason: str, loan: Loan, *, today: date, params: dict) -> RenewalRefused:
    """Return the refusal of renewing an overdue ``loan``: how late, the fine so far, what to do."""
    late = queries.overdue_of([loan], today=today)[loan.pk]
    own = RenewalRefused(reason, **params).text.rstrip(".: ")
    own = own[:1].lower() + own[1:]  # it follows "because" (Thai has no case)
    why = OVERDUE_WHY[reason].format(**params) if reason in OVERDUE_WHY else own
    params.update(title=loan.item.record.title, days=late.days_late, fine=f"{late.fine:,.2f}",
                  rate=f"{late.fine_per_day:,.2f}", cap=f"{late.max_fine:,.2f}", why=why, due_on=loan.due_on.isoformat())
    return RenewalRefused(reason, message=OVERDUE_RENEWAL, **params)


def declare_lost(*, loan: Loan, staff, desk: Branch, now: datetime | None = None) -> list[Fine]:
    """End a loan as lost: charge the overdue fine so far, the item's replacement price and the processing fee."""
    now, today = moment(now)
    require(staff, "circulation.change_loan", desk, on=today)
    settings = queries.settings()
    with transaction.atomic():
        item = _lock_item(loan.item_id)
        loan = Loan.objects.select_for_update(of=("self",)).select_related("branch").get(pk=loan.pk)
        if loan.returned_at is not None:
            raise RenewalRefused("loan_ended", barcode=item.barcode)
        fines = []
        if overdue := _charge_overdue(loan, until=today, staff=staff, desk=desk, now=now):
            fines.append(overdue)
        price = item.price if item.price is not None else settings.default_replacement_price
        for kind, amount, text in (
            (Fine.Kind.LOST, price, _("replacement of lost item {barcode}")),
            (Fine.Kind.PROCESSING, settings.lost_processing_fee, _("processing of lost item {barcode}")),
        ):
            if amount and amount > 0:
                fine = Fine(patron_id=loan.patron_id, kind=kind, loan=loan, item=item, branch=desk, amount=amount,
                            created_at=now, created_by=staff, description=text.format(barcode=item.barcode))
                audit(fine, staff)
                fine.save()
                fines.append(fine)
        loan.returned_at, loan.end_reason, loan.returned_branch, loan.returned_by = now, Loan.EndReason.LOST, desk, staff
        audit(loan, staff, _("declared lost"))
        loan.save()
        catalog_services.set_item_status(item, Item.Status.LOST, user=staff, now=now)
    return fines


def claims_returned(*, loan: Loan, staff, desk: Branch, now: datetime | None = None) -> Loan:
    """Record that the patron says the item was returned: no fine accrues from now, the item is searched for."""
    now, today = moment(now)
    require(staff, "circulation.change_loan", desk, on=today)
    with transaction.atomic():
        item = _lock_item(loan.item_id)
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise RenewalRefused("loan_ended", barcode=item.barcode)
        loan.claims_returned_at = now
        audit(loan, staff, _("patron claims returned"))
        loan.save()
        catalog_services.set_item_status(item, Item.Status.CLAIMS_RETURNED, user=staff, now=now)
    return loan


def mark_damaged(*, item: Item, staff, desk: Branch, charge: Decimal | None = None, patron: Patron | None = None,
                 note: str = "", now: datetime | None = None) -> Fine | None:
    """Mark an item damaged (out of circulation until repaired); optionally charge ``patron`` for it."""
    now, today = moment(now)
    require(staff, "circulation.change_loan", desk, on=today)
    with transaction.atomic():
        item = _lock_item(item)
        if item.status == Item.Status.ON_LOAN:
            raise CheckinRefused(barcode=item.barcode, reason=_("check it in first."), field="item_barcode")
        fine = None
        if charge and charge > 0 and patron is not None:
            fine = Fine(patron=patron, kind=Fine.Kind.DAMAGED, item=item, branch=desk, amount=charge, created_at=now,
                        created_by=staff, description=note or _("damaged item {barcode}").format(barcode=item.barcode))
            audit(fine, staff)
            fine.save()
        catalog_services.set_item_status(item, Item.Status.DAMAGED, user=staff, now=now, note=note)
    return fine


def transfer_item(*, item: Item, to: Branch, staff, desk: Branch, now: datetime | None = None) -> Transit:
    """Send an available item from the desk to another branch (a transit slip goes with it)."""
    now, today = moment(now)
    require(staff, "circulation.change_loan", desk, on=today)
    with transaction.atomic():
        item = _lock_item(item)
        if item.status != Item.Status.AVAILABLE:
            _refuse_unavailable(item, None)
        if to.pk == desk.pk:
            raise CheckinRefused(barcode=item.barcode, reason=_("it is already at {branch}.").format(branch=desk.name_th))
        transit = send_item(item, to=to, desk=desk, reason=Transit.Reason.TRANSFER, hold=None, staff=staff, now=now)
        catalog_services.set_item_status(item, Item.Status.IN_TRANSIT, user=staff, now=now)
    return transit


def move_loans_off_closed_days(*, branch: Branch | None, starts_on: date, ends_on: date) -> int:
    """Move open loans (and hold-shelf expiries) falling in a new closure to the next open day; return loans moved.

    ``branch`` None means the whole network closed. Each lending branch's own calendar decides the
    next open day (two queries per branch, not per day).
    """
    from simple_history.utils import bulk_update_with_history

    loans = Loan.objects.open().filter(due_on__gte=starts_on, due_on__lte=ends_on)
    holds = Hold.objects.filter(status=Hold.Status.READY, expires_on__gte=starts_on, expires_on__lte=ends_on)
    if branch is not None:
        loans, holds = loans.filter(branch=branch), holds.filter(pickup_branch=branch)
    moved = 0
    with transaction.atomic():
        branch_ids = set(loans.values_list("branch_id", flat=True)) | set(holds.values_list("pickup_branch_id",
                                                                                            flat=True))
        for lending_branch in Branch.objects.filter(pk__in=branch_ids):
            is_open = network_queries.open_day_checker(lending_branch, starts_on,
                                                       ends_on + timedelta(days=1) + rules.LONGEST_CLOSURE)
            batch = list(loans.filter(branch=lending_branch).select_for_update())
            for loan in batch:
                loan.due_on = rules.next_open(loan.due_on, is_open)
            bulk_update_with_history(batch, Loan, ["due_on"], batch_size=500,
                                     default_change_reason="due date moved: branch closed")
            moved += len(batch)
            shelf = list(holds.filter(pickup_branch=lending_branch).select_for_update())
            for hold in shelf:
                hold.expires_on = rules.next_open(hold.expires_on, is_open)
            bulk_update_with_history(shelf, Hold, ["expires_on"], batch_size=500,
                                     default_change_reason="shelf expiry moved: branch closed")
    return moved
