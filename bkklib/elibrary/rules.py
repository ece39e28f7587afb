"""Pure decisions of the e-library: what a licence allows on a day, which licence lends, loan and hold dates.

Dataclasses and dates in, values out; no ORM, no clock (docs/architecture.md, Layers of an app).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PERPETUAL, METERED, CONCURRENT, OPEN = "perpetual", "metered", "concurrent", "open"
HOLD_PICKUP_HOURS = 48
ATTENTION_DAYS = 30  # a licence ending within this many days is listed for staff
ATTENTION_SHARE = 0.10  # ... and one with at most this share of its loans left


@dataclass(frozen=True)
class Terms:
    """One licence as the rules see it, with the number of its loans running now."""

    id: int
    kind: str
    copies: int | None
    loans_total: int | None
    loans_used: int
    starts_on: date
    expires_on: date | None
    active_loans: int = 0

    def in_force(self, today: date) -> bool:
        """Started, not past its end date and (metered by loans) with loans left."""
        if self.starts_on > today:
            return False
        if self.expires_on is not None and self.expires_on < today:
            return False
        return self.loans_total is None or self.loans_used < self.loans_total

    def free(self, today: date) -> int | None:
        """Copies a new loan could take today: None for unlimited (open access), 0 when none."""
        if not self.in_force(today):
            return 0
        if self.kind == OPEN:
            return None
        free = max(0, (self.copies or 0) - self.active_loans)
        if self.loans_total is not None:
            free = min(free, self.loans_total - self.loans_used)
        return free

    def loans_left(self) -> int | None:
        return None if self.loans_total is None else max(0, self.loans_total - self.loans_used)


@dataclass(frozen=True)
class Availability:
    """A title's state for readers: copies free now (None = unlimited), copies held for others, in all."""

    free: int | None
    reserved: int
    copies: int | None
    lendable: bool  # some licence is in force at all

    @property
    def can_borrow(self) -> bool:
        return self.free is None or self.free > self.reserved

    @property
    def can_hold(self) -> bool:
        return self.lendable and not self.can_borrow


def availability(terms: Sequence[Terms], *, today: date, ready_holds: int = 0) -> Availability:
    """Add up a title's licences: open access wins; else the free copies of every licence in force."""
    in_force = [t for t in terms if t.in_force(today)]
    if any(t.kind == OPEN for t in in_force):
        return Availability(free=None, reserved=0, copies=None, lendable=True)
    free = sum(t.free(today) or 0 for t in in_force)
    copies = sum(t.copies or 0 for t in in_force)
    return Availability(free=free, reserved=ready_holds, copies=copies, lendable=bool(in_force))


def lend_order(term: Terms) -> tuple:
    """Sort key of the licences a loan may use: open access first (costs nothing), then those that end first
    (use up what expires), then metered by loans (fewest left first), perpetual last."""
    kind_rank = {OPEN: 0, METERED: 1, CONCURRENT: 2, PERPETUAL: 3}[term.kind]
    return (kind_rank, term.expires_on or date.max, term.loans_left() if term.loans_left() is not None else 1 << 30,
            term.id)


def choose(terms: Sequence[Terms], *, today: date) -> Terms | None:
    """Return the licence a new loan takes today, or None when every copy is out."""
    usable = [t for t in terms if (free := t.free(today)) is None or free > 0]
    return min(usable, key=lend_order) if usable else None


def free_seat(copies: int, taken: set[int]) -> int | None:
    """Return the lowest seat number (1..copies) not in ``taken``, or None."""
    return next((n for n in range(1, copies + 1) if n not in taken), None)


def loan_end(start: datetime, loan_days: int) -> datetime:
    """An e-loan ends ``loan_days`` after it starts, to the minute; it runs to its end even if the licence
    expires meanwhile (the licence only stops new loans)."""
    return start + timedelta(days=loan_days)


def hold_deadline(ready_at: datetime) -> datetime:
    """A copy kept for the next reader in line is kept for 48 hours."""
    return ready_at + timedelta(hours=HOLD_PICKUP_HOURS)


def needs_attention(term: Terms, *, today: date) -> bool:
    """A licence staff should look at: ending within 30 days, or with at most 10 % of its loans left."""
    if term.kind == OPEN or not term.in_force(today):
        return False
    if term.expires_on is not None and (term.expires_on - today).days <= ATTENTION_DAYS:
        return True
    return term.loans_total is not None and (term.loans_total - term.loans_used) <= term.loans_total * ATTENTION_SHARE


def borrow_refusal(*, open_loans: int, max_loans: int, already_has_it: bool) -> str | None:
    """The patron-side refusals of an e-loan (print loans are counted apart)."""
    if already_has_it:
        return "already_borrowed"
    if open_loans >= max_loans:
        return "eloan_limit"
    return None


def hold_refusal(*, active_holds: int, max_holds: int, already_holds_it: bool, has_it: bool, can_borrow: bool,
                 lendable: bool) -> str | None:
    if has_it:
        return "already_borrowed"
    if already_holds_it:
        return "already_held"
    if not lendable:
        return "not_lendable"
    if can_borrow:
        return "available_now"
    if active_holds >= max_holds:
        return "ehold_limit"
    return None


def cost_per_loan(price, loans: int):
    """Price of a licence divided by the loans it gave (None before the first loan)."""
    return None if not loans else (price / loans).quantize(price.__class__("0.01"))
