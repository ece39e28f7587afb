"""The read side of circulation: look-ups and lists for views, the API, the public site and reports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Replace
from django.utils import timezone

from bkklib.catalog.models import Item
from bkklib.core import stamps
from bkklib.network import queries as network_queries
from bkklib.network.models import Branch

from . import rules
from .exceptions import FineNotFound, HoldNotFound, LoanNotFound, PatronNotFound
from .models import (
    CashUpSignOff,
    CirculationSettings,
    Fine,
    Hold,
    Loan,
    LoanPolicy,
    Patron,
    PatronBlock,
    Receipt,
    Transit,
    Waiver,
)
from .models.holds import ACTIVE_STATUSES

ZERO = Decimal("0.00")
MIN_FRAGMENT_DIGITS = 4  # fewer digits match too many phones to be a search
BALANCE = ExpressionWrapper(F("amount") - F("paid") - F("waived"), output_field=DecimalField(max_digits=10,
                                                                                                decimal_places=2))


# --- Patrons --------------------------------------------------------------------------------------------


def patron_by_card(card: str) -> Patron:
    """Return the patron whose card number is ``card`` (spaces ignored); raise PatronNotFound."""
    value = (card or "").strip()
    try:
        return Patron.objects.select_related("category", "home_branch").get(card_number=value)
    except Patron.DoesNotExist:
        raise PatronNotFound(card=value or "—", field="patron_card") from None


def patron_ref(card: str) -> Patron:
    """Return the patron with card ``card`` with only keys loaded (for verbs that lock the row anyway)."""
    value = (card or "").strip()
    try:
        return Patron.objects.only("pk", "card_number", "category_id").get(card_number=value)
    except Patron.DoesNotExist:
        raise PatronNotFound(card=value or "—", field="patron_card") from None


def patron_by_id(patron_id) -> Patron:
    """Return patron ``patron_id``; raise PatronNotFound."""
    try:
        return Patron.objects.select_related("category", "home_branch").get(pk=int(patron_id))
    except (Patron.DoesNotExist, TypeError, ValueError):
        raise PatronNotFound(card=f"#{patron_id}") from None


def search_patrons(text: str, *, limit: int = 50) -> QuerySet[Patron]:
    """Return patrons whose card, name (Thai or English), national ID, passport or phone matches ``text``.

    Card, ID and passport match whole (dashes and spaces ignored); names match the beginning of the
    first or last name, or the whole name "first last"; four digits or more also match a part of
    the phone number (dashes and spaces ignored) or the end of the national ID, so the desk finds
    a patron from "the last digits of my phone".
    """
    value = " ".join((text or "").split())
    if not value:
        return Patron.objects.none()
    digits = "".join(ch for ch in value if ch.isalnum())
    condition = Q(card_number=value) | Q(card_number=digits)
    qs = Patron.objects.all()
    if digits.isdigit():
        condition |= Q(national_id=digits) | Q(phone=value) | Q(phone=digits)
        if len(digits) >= MIN_FRAGMENT_DIGITS:
            qs = qs.annotate(phone_digits=Replace(Replace("phone", Value("-"), Value("")), Value(" "), Value("")))
            condition |= Q(phone_digits__contains=digits) | Q(national_id__endswith=digits)
    condition |= Q(passport_number__iexact=digits)
    words = value.split(" ")
    if len(words) >= 2:
        first, last = words[0], " ".join(words[1:])
        condition |= Q(first_name_th__istartswith=first, last_name_th__istartswith=last)
        condition |= Q(first_name_en__istartswith=first, last_name_en__istartswith=last)
    else:
        for field in ("first_name_th", "last_name_th", "first_name_en", "last_name_en"):
            condition |= Q(**{f"{field}__istartswith": value})
    return (qs.filter(condition).exclude(status=Patron.Status.ERASED)
            .select_related("category", "home_branch").order_by("last_name_th", "first_name_th", "card_number")[:limit])


def pending_patrons(branch: Branch | None = None) -> QuerySet[Patron]:
    """Return self-registered patrons waiting for an ID check (of home branch ``branch`` when given), oldest first."""
    qs = Patron.objects.filter(status=Patron.Status.PENDING)
    if branch is not None:
        qs = qs.filter(home_branch=branch)
    return qs.select_related("category", "home_branch").order_by("created_at")


def active_block(patron: Patron) -> PatronBlock | None:
    """Return the patron's most recent manual block that is not lifted, or None."""
    return patron.blocks.filter(lifted_at__isnull=True).order_by("-created_at").first()


def fines_due(patron: Patron) -> Decimal:
    """Return what the patron owes: the open balance of every fine and fee."""
    total = Fine.objects.filter(patron=patron, settled_at__isnull=True).aggregate(t=Sum(BALANCE))["t"]
    return (total or ZERO).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Standing:
    """A patron's standing at a moment: the facts the rules need, and the block's reason."""

    borrower: rules.Borrower
    block_reason: str = ""


# Five counts in one round trip; standard SQL that SQLite and PostgreSQL both run. Written by hand
# because this runs on every checkout, renewal and hold, and the ORM's compilation of five
# correlated subqueries cost more CPU than the database spent answering them.
STANDING_SQL = """
SELECT
  (SELECT COUNT(*) FROM circulation_loan WHERE patron_id = %(p)s AND returned_at IS NULL),
  (SELECT COUNT(*) FROM circulation_loan WHERE patron_id = %(p)s AND returned_at IS NULL AND item_type_id = %(t)s),
  (SELECT COUNT(*) FROM circulation_hold WHERE patron_id = %(p)s AND status IN ('waiting', 'in_transit', 'ready')),
  (SELECT SUM(amount - paid - waived) FROM circulation_fine WHERE patron_id = %(p)s AND settled_at IS NULL),
  (SELECT reason FROM circulation_patronblock WHERE patron_id = %(p)s AND lifted_at IS NULL
   ORDER BY created_at DESC LIMIT 1)
"""


def standing(patron: Patron, *, item_type_id: int | None = None) -> Standing:
    """Return the rules' view of ``patron`` (open loans, of one item type too, holds, debt, block), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(STANDING_SQL, {"p": patron.pk, "t": item_type_id or 0})
        n_loans, n_of_type, n_holds, owed, block_reason = cursor.fetchone()
    borrower = rules.Borrower(
        status=patron.status, card_expires_on=patron.card_expires_on, is_blocked=block_reason is not None,
        fines_due=Decimal(str(owed or 0)).quantize(Decimal("0.01")),
        fines_block_amount=patron.category.fines_block_amount, open_loans=n_loans or 0,
        open_loans_of_type=n_of_type or 0, active_holds=n_holds or 0,
    )
    return Standing(borrower=borrower, block_reason=block_reason or "")


# --- Policies and calendars ----------------------------------------------------------------------------


def policy_row_for(*, branch_id: int | None, category_id: int | None, item_type_id: int | None) -> LoanPolicy:
    """Return the most specific loan policy row for this branch, category and item type (one query)."""
    rows = list(LoanPolicy.objects.filter(
        Q(branch_id__isnull=True) | Q(branch_id=branch_id),
        Q(category_id__isnull=True) | Q(category_id=category_id),
        Q(item_type_id__isnull=True) | Q(item_type_id=item_type_id),
    ))
    chosen = rules.choose_policy(((row.key, row) for row in rows), branch_id=branch_id, category_id=category_id,
                                 item_type_id=item_type_id)
    if chosen is None:  # the default row was deleted: lend on the rules' defaults rather than fail at the desk
        return LoanPolicy(loan_days=rules.Policy.loan_days)
    return chosen


@stamps.cached("circulation-policy")
def _policy(branch_id: int | None, category_id: int | None, item_type_id: int | None) -> rules.Policy:
    return policy_row_for(branch_id=branch_id, category_id=category_id, item_type_id=item_type_id).as_rule()


def policy_for(*, branch: Branch | None, category_id: int | None, item_type_id: int | None) -> rules.Policy:
    """Return the pure-rule policy for a branch, patron category and item type (kept per process)."""
    return _policy(branch.pk if branch else None, category_id, item_type_id)


def open_days(branch: Branch, start: date, days: int):
    """Return an ``is_open(day)`` for ``branch`` from ``start`` over ``days`` days plus the longest closure.

    Two queries (hours, closures) whatever the number of days asked afterwards.
    """
    return network_queries.open_day_checker(branch, start, start + timedelta(days=days) + rules.LONGEST_CLOSURE)


def settings() -> CirculationSettings:
    """Return the network's circulation settings row."""
    return CirculationSettings.current()


# --- Loans ---------------------------------------------------------------------------------------------


def loan_by_id(loan_id) -> Loan:
    """Return loan ``loan_id``; raise LoanNotFound."""
    try:
        return Loan.objects.select_related("item", "item__record", "patron").get(pk=int(loan_id))
    except (Loan.DoesNotExist, TypeError, ValueError):
        raise LoanNotFound(id=loan_id) from None


def open_loan_of(item) -> Loan | None:
    """Return the open loan of ``item``, or None."""
    return Loan.objects.open().filter(item=item).select_related("patron").first()


def loans_of(patron: Patron, *, include_returned: bool = False) -> QuerySet[Loan]:
    """Return the patron's loans (open only by default), soonest due first, with item and record."""
    qs = Loan.objects.filter(patron=patron).select_related("item", "item__record", "item__branch", "branch")
    if not include_returned:
        return qs.open().order_by("due_on", "pk")
    return qs.order_by("-checked_out_at")


def loans_made_today(patron: Patron, *, branch: Branch, today: date) -> QuerySet[Loan]:
    """Return the patron's open loans made at ``branch`` on ``today`` (the due-date slip), in checkout order."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(today, datetime.min.time(), tzinfo=tz)
    return (Loan.objects.open().filter(patron=patron, branch=branch, checked_out_at__gte=start,
                                       checked_out_at__lt=start + timedelta(days=1))
            .select_related("item", "item__record", "branch").defer("item__record__marc").order_by("checked_out_at", "pk"))


def overdue_loans(*, today: date, branch: Branch | None = None) -> QuerySet[Loan]:
    """Return open loans due before ``today`` (lent at ``branch`` when given), oldest due first."""
    qs = Loan.objects.overdue(on=today)
    if branch is not None:
        qs = qs.filter(branch=branch)
    return qs.select_related("item", "item__record", "patron").order_by("due_on")


def accrued_fine(loan: Loan, *, today: date) -> Decimal:
    """Return the overdue fine a still-open loan would add if returned ``today`` (for display)."""
    charged = None
    if rules.is_overdue(due_on=loan.due_on, today=today, returned=loan.returned_at is not None):
        charged = Fine.objects.filter(loan=loan, kind=Fine.Kind.OVERDUE).values_list("amount", "cap").first()
    return _accrued(loan, today=today, charged=charged)


def _accrued(loan: Loan, *, today: date, charged: tuple[Decimal, Decimal | None] | None) -> Decimal:
    """The one computation of a running fine: ``rules.overdue_fine`` to today, within what is left of the cap.

    ``charged`` is (amount, cap) of the loan's overdue fine already charged (an overdue renewal
    charges the days up to the renewal), or None; checkin adds to that fine the same way.
    """
    if not rules.is_overdue(due_on=loan.due_on, today=today, returned=loan.returned_at is not None) \
            or loan.fine_per_day <= 0:
        return ZERO
    is_open = network_queries.open_day_checker(loan.branch, loan.due_on, today)
    amount = rules.overdue_fine(due_on=loan.due_on, returned_on=today, fine_per_day=loan.fine_per_day,
                                max_fine=loan.max_fine, grace_days=loan.grace_days, is_open=is_open)
    if charged is not None and charged[1] is not None:
        amount = max(ZERO, min(charged[1], charged[0] + amount) - charged[0])
    return amount


@dataclass(frozen=True)
class Overdue:
    """An open loan past its due date: how late, and what its fine has reached so far."""

    loan: Loan
    days_late: int  # calendar days since the due date
    fine: Decimal  # what returning it today adds to what is already charged
    fine_per_day: Decimal
    max_fine: Decimal
    grace_days: int


def overdue_of(loans, *, today: date) -> dict[int, Overdue]:
    """Return the overdue ones of ``loans`` by loan id, with their running fines (one query for charges)."""
    late = [loan for loan in loans
            if rules.is_overdue(due_on=loan.due_on, today=today, returned=loan.returned_at is not None)]
    if not late:
        return {}
    charged = {loan_id: (amount, cap) for loan_id, amount, cap in Fine.objects.filter(
        loan__in=late, kind=Fine.Kind.OVERDUE).values_list("loan_id", "amount", "cap")}
    return {loan.pk: Overdue(loan=loan, days_late=(today - loan.due_on).days,
                             fine=_accrued(loan, today=today, charged=charged.get(loan.pk)),
                             fine_per_day=loan.fine_per_day, max_fine=loan.max_fine, grace_days=loan.grace_days)
            for loan in late}


# --- Holds ---------------------------------------------------------------------------------------------


def hold_by_id(hold_id) -> Hold:
    """Return hold ``hold_id``; raise HoldNotFound."""
    try:
        return Hold.objects.select_related("record", "patron", "pickup_branch").get(pk=int(hold_id))
    except (Hold.DoesNotExist, TypeError, ValueError):
        raise HoldNotFound(id=hold_id) from None


def holds_of(patron: Patron, *, active_only: bool = True) -> QuerySet[Hold]:
    """Return the patron's holds (active ones by default) with their record and pickup branch."""
    qs = Hold.objects.filter(patron=patron).select_related("record", "pickup_branch", "item", "trapped_item")
    if active_only:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    return qs.order_by("placed_at")


def queue_of(record) -> QuerySet[Hold]:
    """Return the waiting holds on ``record`` in queue order."""
    return Hold.objects.filter(record=record, status=Hold.Status.WAITING).select_related("patron").order_by("position")


def queue_rank(hold: Hold) -> int:
    """Return the place of a waiting hold in its queue (1 = next), counting only holds still waiting."""
    if hold.status != Hold.Status.WAITING:
        return 0
    return Hold.objects.filter(record_id=hold.record_id, status=Hold.Status.WAITING,
                               position__lte=hold.position).count()


def hold_shelf(branch: Branch) -> QuerySet[Hold]:
    """Return the holds waiting on ``branch``'s hold shelf, soonest expiry first."""
    return Hold.objects.filter(pickup_branch=branch, status=Hold.Status.READY).select_related(
        "patron", "record", "trapped_item").order_by("expires_on", "pk")


def _trappable_holds(branch: Branch, today: date) -> QuerySet[Hold]:
    """Return waiting, unsuspended holds that a copy on ``branch``'s shelf (status available) can fill."""
    on_shelf = Item.objects.filter(branch=branch, status=Item.Status.AVAILABLE)
    return (Hold.objects.filter(status=Hold.Status.WAITING)
            .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lt=today))
            .filter(Q(item__isnull=True, record_id__in=on_shelf.values("record_id")) | Q(item__in=on_shelf)))


@dataclass(frozen=True)
class TitleToPull:
    """A title with holds waiting that copies on this branch's shelf can fill: pull one and check it in."""

    record: object
    holds: int
    items: list


def holds_to_trap(branch: Branch, *, today: date) -> list[TitleToPull]:
    """Return the titles to pull from ``branch``'s shelves for waiting holds, by call number then title.

    Checking a pulled copy in gives it to the first hold of the queue (hold shelf here or transit
    to the pickup branch), so the list is per title, with every available copy here.
    """
    counts = dict(_trappable_holds(branch, today).order_by().values("record_id").annotate(n=Count("pk"))
                  .values_list("record_id", "n"))
    items = (Item.objects.filter(branch=branch, status=Item.Status.AVAILABLE, record_id__in=list(counts))
             .select_related("record").defer("record__marc").order_by("call_number", "barcode"))
    by_record: dict[int, list] = {}
    for item in items:
        by_record.setdefault(item.record_id, []).append(item)
    rows = [TitleToPull(record=copies[0].record, holds=counts[record_id], items=copies)
            for record_id, copies in by_record.items()]
    return sorted(rows, key=lambda row: (row.items[0].call_number, row.record.title))


# --- To-dos of the staff home page (bkklib.core.menus: counted per desk branch, each = its list's length) --


def count_holds_to_trap(*, user, branch: Branch, today: date) -> int:
    """Return how many titles on ``branch``'s shelf have holds waiting for a copy."""
    return _trappable_holds(branch, today).order_by().values("record_id").distinct().count()


def count_transits_to(*, user, branch: Branch, today: date) -> int:
    """Return how many items are on their way to ``branch``."""
    return transits_to(branch).count()


def count_transits_from(*, user, branch: Branch, today: date) -> int:
    """Return how many items ``branch`` sent that have not arrived yet."""
    return transits_from(branch).count()


def count_overdue(*, user, branch: Branch, today: date) -> int:
    """Return how many loans made at ``branch`` are overdue on ``today``."""
    return overdue_loans(today=today, branch=branch).count()


def count_pending(*, user, branch: Branch, today: date) -> int:
    """Return how many self-registrations with ``branch`` as home branch wait for an ID check."""
    return pending_patrons(branch).count()


# --- Transits ------------------------------------------------------------------------------------------


def transits_to(branch: Branch) -> QuerySet[Transit]:
    """Return items on their way to ``branch``."""
    return Transit.objects.filter(to_branch=branch, received_at__isnull=True).select_related(
        "item", "item__record", "from_branch").order_by("sent_at")


def transits_from(branch: Branch, *, since: datetime | None = None, before: datetime | None = None
                  ) -> QuerySet[Transit]:
    """Return items ``branch`` sent (since ``since``, before ``before`` when given) and not yet received."""
    qs = Transit.objects.filter(from_branch=branch, received_at__isnull=True)
    if since is not None:
        qs = qs.filter(sent_at__gte=since)
    if before is not None:
        qs = qs.filter(sent_at__lt=before)
    return qs.select_related("item", "item__record", "to_branch").order_by("to_branch__name_th", "sent_at")


# --- Fines and receipts --------------------------------------------------------------------------------


def fine_by_id(fine_id) -> Fine:
    """Return fine ``fine_id``; raise FineNotFound."""
    try:
        return Fine.objects.select_related("patron", "item").get(pk=int(fine_id))
    except (Fine.DoesNotExist, TypeError, ValueError):
        raise FineNotFound(id=fine_id) from None


def fines_of(patron: Patron, *, open_only: bool = True) -> QuerySet[Fine]:
    """Return the patron's fines and fees (open ones by default), oldest first."""
    qs = Fine.objects.filter(patron=patron).select_related("item", "item__record", "branch")
    if open_only:
        qs = qs.filter(settled_at__isnull=True)
    return qs.order_by("created_at", "pk")


@dataclass(frozen=True)
class CashUp:
    """A desk's takings for one day: receipts, totals by method and by staff member."""

    branch: Branch
    day: date
    receipts: list
    total: Decimal
    by_method: dict
    by_staff: dict
    waived_total: Decimal
    cash_total: Decimal = ZERO  # what the cash drawer should hold: the cash receipts
    sign_off: CashUpSignOff | None = None


def cash_up(branch: Branch, day: date) -> CashUp:
    """Return the cash-up report of ``branch``'s desk for ``day`` (Asia/Bangkok), with its sign-off if signed."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = start + timedelta(days=1)
    receipts = list(Receipt.objects.filter(branch=branch, issued_at__gte=start, issued_at__lt=end)
                    .select_related("received_by", "patron").order_by("number"))
    by_method: dict[str, Decimal] = {}
    by_staff: dict[str, Decimal] = {}
    for receipt in receipts:
        by_method[receipt.get_method_display()] = by_method.get(receipt.get_method_display(), ZERO) + receipt.total
        who = receipt.received_by.get_full_name() or receipt.received_by.username
        by_staff[who] = by_staff.get(who, ZERO) + receipt.total
    waived = Waiver.objects.filter(branch=branch, waived_at__gte=start, waived_at__lt=end).aggregate(
        t=Coalesce(Sum("amount"), ZERO, output_field=DecimalField()))["t"]
    cash_total = sum((r.total for r in receipts if r.method == Receipt.Method.CASH), ZERO)
    sign_off = CashUpSignOff.objects.filter(branch=branch, day=day).select_related("signed_by").first()
    return CashUp(branch=branch, day=day, receipts=receipts, total=sum((r.total for r in receipts), ZERO),
                  by_method=by_method, by_staff=by_staff, waived_total=waived, cash_total=cash_total,
                  sign_off=sign_off)
