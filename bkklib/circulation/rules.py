"""Pure decisions of circulation: no ORM, no clock, no HTTP.

Dataclasses, dates and Decimals in, values or reason codes out. Services gather the facts
(one query each), ask these functions, and act. Every function here is property-tested with
hypothesis in ``tests/test_rules.py``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

# A branch is never closed longer than this in a row (renovations close a branch outright, and a
# closed branch lends nothing); a longer search for an open day means the calendar is wrong.
LONGEST_CLOSURE = timedelta(days=60)

T = TypeVar("T")
IsOpen = Callable[[date], bool]


@dataclass(frozen=True)
class Policy:
    """The loan terms that apply to one patron category borrowing one item type at one branch."""

    loan_days: int = 14
    max_loans: int = 10
    max_loans_of_type: int | None = None
    renewals_allowed: int = 2
    fine_per_day: Decimal = Decimal("5.00")
    max_fine: Decimal = Decimal("100.00")
    grace_days: int = 0
    holds_allowed: bool = True
    max_holds: int = 5
    hold_shelf_days: int = 7


@dataclass(frozen=True)
class Borrower:
    """What the rules need to know about a patron at the moment of a transaction."""

    status: str = "active"
    card_expires_on: date | None = None
    is_blocked: bool = False
    fines_due: Decimal = Decimal("0")
    fines_block_amount: Decimal = Decimal("100.00")
    open_loans: int = 0
    open_loans_of_type: int = 0
    active_holds: int = 0


@dataclass(frozen=True)
class PolicyKey:
    """Where a policy row applies; ``None`` means "any" (the default row has all three None)."""

    branch_id: int | None = None
    category_id: int | None = None
    item_type_id: int | None = None

    @property
    def specificity(self) -> int:
        """Return the rank of this key: a branch outweighs a category, which outweighs an item type."""
        return 4 * (self.branch_id is not None) + 2 * (self.category_id is not None) + (self.item_type_id is not None)

    def matches(self, branch_id: int | None, category_id: int | None, item_type_id: int | None) -> bool:
        """Return True when this key applies to the given branch, category and item type."""
        return (
            (self.branch_id is None or self.branch_id == branch_id)
            and (self.category_id is None or self.category_id == category_id)
            and (self.item_type_id is None or self.item_type_id == item_type_id)
        )


def choose_policy(candidates: Iterable[tuple[PolicyKey, T]], *, branch_id: int | None, category_id: int | None,
                  item_type_id: int | None) -> T | None:
    """Return the value of the most specific candidate that matches, or None when none matches.

    Specificity: branch (4) > patron category (2) > item type (1); the sum decides, so a row for
    "this branch, this category" beats "this category, this item type".
    """
    best: tuple[int, T] | None = None
    for key, value in candidates:
        if key.matches(branch_id, category_id, item_type_id) and (best is None or key.specificity > best[0]):
            best = (key.specificity, value)
    return best[1] if best else None


# --- Patrons -------------------------------------------------------------------------------------------


def patron_refusal(borrower: Borrower, *, today: date) -> str | None:
    """Return the reason code that stops this patron from borrowing, renewing or holding, or None."""
    if borrower.status == "pending":
        return "patron_pending"
    if borrower.status != "active":
        return "patron_inactive"
    if borrower.card_expires_on is None or borrower.card_expires_on < today:
        return "card_expired"
    if borrower.is_blocked:
        return "patron_blocked"
    # "Blocks at a configurable amount": the debt reaching the amount blocks, not only exceeding it.
    if borrower.fines_block_amount > 0 and borrower.fines_due >= borrower.fines_block_amount:
        return "fines_due"
    return None


def checkout_refusal(*, borrower: Borrower, policy: Policy, today: date) -> str | None:
    """Return the reason code that forbids this checkout, or None."""
    if reason := patron_refusal(borrower, today=today):
        return reason
    if policy.loan_days <= 0:
        return "not_for_loan"
    if borrower.open_loans >= policy.max_loans:
        return "loan_limit"
    if policy.max_loans_of_type is not None and borrower.open_loans_of_type >= policy.max_loans_of_type:
        return "loan_limit_item_type"
    return None


def age_on(birth_date: date | None, today: date) -> int | None:
    """Return the age in whole years on ``today`` (None when the birth date is unknown)."""
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


AGE_BANDS = ((0, 5, "0-5"), (6, 12, "6-12"), (13, 17, "13-17"), (18, 24, "18-24"), (25, 39, "25-39"),
             (40, 59, "40-59"), (60, 200, "60+"))


def age_band(birth_date: date | None, today: date) -> str:
    """Return the statistical age band (``"13-17"``...) kept after loan history is anonymised."""
    age = age_on(birth_date, today)
    if age is None:
        return "unknown"
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "unknown"


@dataclass(frozen=True)
class FeeTier:
    """An annual membership fee for ages ``min_age``..``max_age`` (None: no upper bound), maybe per category."""

    min_age: int
    max_age: int | None
    annual_fee: Decimal
    category_id: int | None = None


def membership_fee(tiers: Sequence[FeeTier], *, age: int | None, category_id: int | None) -> Decimal:
    """Return the annual fee for a patron of ``age`` in ``category_id``; a category's own tier wins.

    Patrons without a birth date (institutions) pay the tier that starts at age 0 with no upper
    bound for their category, else nothing.
    """
    best: tuple[int, Decimal] | None = None
    for tier in tiers:
        if tier.category_id is not None and tier.category_id != category_id:
            continue
        if age is None:
            fits = tier.min_age == 0 and tier.max_age is None
        else:
            fits = tier.min_age <= age and (tier.max_age is None or age <= tier.max_age)
        rank = 1 if tier.category_id is not None else 0
        if fits and (best is None or rank > best[0]):
            best = (rank, tier.annual_fee)
    return best[1] if best else Decimal("0.00")


def card_expiry(start: date, years: int) -> date:
    """Return the day a card issued or renewed on ``start`` expires after ``years`` years (29 Feb → 28 Feb)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


# --- Due dates and renewals ----------------------------------------------------------------------------


def next_open(day: date, is_open: IsOpen) -> date:
    """Return the first open day on or after ``day``; raise ValueError past LONGEST_CLOSURE."""
    current = day
    while not is_open(current):
        current += timedelta(days=1)
        if current > day + LONGEST_CLOSURE:
            raise ValueError(f"no open day within {LONGEST_CLOSURE.days} days of {day}")
    return current


def due_date(*, start: date, loan_days: int, is_open: IsOpen) -> date:
    """Return the first day on or after ``start + loan_days`` when the branch is open.

    Never due on a closed day: the patron could not return it, and would be fined for it.
    """
    return next_open(start + timedelta(days=loan_days), is_open)


def renewal_refusal(*, borrower: Borrower, policy: Policy, renewals_done: int, held_for_others: bool,
                    today: date) -> str | None:
    """Return the reason code that forbids renewing a loan, or None."""
    if renewals_done >= policy.renewals_allowed:
        return "renewal_limit"
    if held_for_others:
        return "on_hold_for_another"
    return patron_refusal(borrower, today=today)


def renewed_due_date(*, today: date, current_due: date, loan_days: int, is_open: IsOpen) -> date:
    """Return the new due date of a loan renewed on ``today``: a full loan period, never shorter than now."""
    # The current due date is open unless a closure came later and the move has not run yet.
    return next_open(max(current_due, due_date(start=today, loan_days=loan_days, is_open=is_open)), is_open)


# --- Fines ---------------------------------------------------------------------------------------------


def is_overdue(*, due_on: date, today: date, returned: bool = False) -> bool:
    """Return True when a loan due on ``due_on`` is overdue on ``today``: still out and due on an earlier day.

    The one definition: ``Loan.objects.overdue(on=today)`` filters with it, the desk's overdue list,
    the fine shown on the account page and the overdue notices all follow it.
    """
    return not returned and due_on < today


def open_days_late(*, due_on: date, returned_on: date, is_open: IsOpen) -> int:
    """Return how many open days lie after ``due_on`` up to and including ``returned_on``."""
    days, current = 0, due_on + timedelta(days=1)
    while current <= returned_on:
        days += bool(is_open(current))
        current += timedelta(days=1)
    return days


def overdue_fine(*, due_on: date, returned_on: date, fine_per_day: Decimal, max_fine: Decimal, grace_days: int,
                 is_open: IsOpen) -> Decimal:
    """Return the overdue fine of a loan: open days late × rate, nothing within the grace days, capped.

    Closed days never count (the patron could not have returned the item on them). Returned
    within ``grace_days`` open days: no fine; later: every open day late counts.
    """
    days = open_days_late(due_on=due_on, returned_on=returned_on, is_open=is_open)
    if days <= grace_days:
        return Decimal("0.00")
    return min(max_fine, fine_per_day * days).quantize(Decimal("0.01"))


def allocate_payment(amount: Decimal, balances: Sequence[tuple[int, Decimal]]) -> list[tuple[int, Decimal]]:
    """Split a payment over open charges in the order given (oldest first); return (charge id, amount) pairs.

    Raise ValueError when ``amount`` is not positive or exceeds the total due (give change instead).
    """
    if amount <= 0:
        raise ValueError("amount must be positive")
    if amount > sum((b for _id, b in balances), Decimal("0")):
        raise ValueError("amount exceeds the total due")
    left, parts = amount, []
    for charge_id, balance in balances:
        if left <= 0:
            break
        part = min(left, balance)
        if part > 0:
            parts.append((charge_id, part))
            left -= part
    return parts


# --- Holds ---------------------------------------------------------------------------------------------


def hold_refusal(*, borrower: Borrower, policy: Policy, already_holds_it: bool, has_it_on_loan: bool,
                 today: date) -> str | None:
    """Return the reason code that forbids placing a hold, or None."""
    if reason := patron_refusal(borrower, today=today):
        return reason
    if not policy.holds_allowed:
        return "holds_not_allowed"
    if already_holds_it:
        return "already_held"
    if has_it_on_loan:
        return "already_on_loan_to_patron"
    if borrower.active_holds >= policy.max_holds:
        return "hold_limit"
    return None


def hold_shelf_expiry(*, ready_on: date, hold_shelf_days: int, is_open: IsOpen) -> date:
    """Return the last day a trapped hold waits on the shelf (an open day, so the patron can come)."""
    return due_date(start=ready_on, loan_days=hold_shelf_days, is_open=is_open)


# --- Notices and privacy -------------------------------------------------------------------------------


def overdue_notice_level(*, due_on: date, today: date, schedule: Sequence[int]) -> int:
    """Return how many overdue notices are due by ``today`` (0–3) for days-overdue thresholds ``schedule``."""
    if not is_overdue(due_on=due_on, today=today):
        return 0
    late = (today - due_on).days
    return sum(1 for threshold in schedule if late >= threshold)


def anonymise_on(*, returned_on: date, after_days: int) -> date:
    """Return the day from which a returned loan's link to its patron must be gone (PDPA)."""
    return returned_on + timedelta(days=after_days)


def mask_phone(phone: str) -> str:
    """Return ``phone`` with only its first two and last four digits shown: ``08x-xxx-5678``.

    Enough for the desk to tell two patrons of the same name apart, not enough to call them.
    """
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) < 7:
        return "x" * max(len(digits) - 4, 0) + digits[-4:] if digits else ""
    return f"{digits[:2]}{'x' * (len(digits) - 9)}-xxx-{digits[-4:]}"


def mask_card(card: str) -> str:
    """Return ``card`` with only its last four characters shown (printed slips): ``xxxxxxxxx5678``."""
    card = card or ""
    return "x" * max(len(card) - 4, 0) + card[-4:]


NOTICE_CHANNELS = ("email", "sms", "line")


def channels_without_address(channels: Sequence[str], *, email: str, phone: str, line_user_id: str) -> list[str]:
    """Return the notice ``channels`` the patron has no address for (SMS needs a phone, LINE a LINE id)."""
    addresses = {"email": email, "sms": phone, "line": line_user_id}
    return [c for c in channels if not addresses.get(c)]


# --- PIN -----------------------------------------------------------------------------------------------

PIN_MIN_LENGTH, PIN_MAX_LENGTH = 4, 6
# Thai digits typed on a Thai keyboard layout mean the same PIN as the Arabic digits on the card's keypad.
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def normalise_pin(pin: str | None) -> str | None:
    """Return ``pin`` as 4 to 6 ASCII digits (Thai digits ๐–๙ become 0–9, spaces around are dropped), or None.

    The one PIN format: the staff form, the API, self-registration, sign-in, PIN change and reset all
    pass through it, so "๑๒๓๔" and "1234" are the same PIN everywhere. Other characters (letters,
    other scripts' digits, superscripts) make it None.
    """
    value = (pin or "").strip().translate(_THAI_DIGITS)
    if value.isascii() and value.isdigit() and PIN_MIN_LENGTH <= len(value) <= PIN_MAX_LENGTH:
        return value
    return None
