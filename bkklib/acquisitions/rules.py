"""Pure decisions of acquisitions: fund arithmetic, copy costs, receiving counts, year-end roll-over and
Thai amounts in words. No ORM, no clock (docs/architecture.md, Layers of an app)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def money(value) -> Decimal:
    """Round to satang, half up (as a cashier does)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Refusal(Exception):
    """A rule's refusal: ``reason`` is a stable code, ``params`` fill its message (exceptions.REFUSAL_MESSAGES)."""

    def __init__(self, reason: str, **params):
        self.reason = reason
        self.params = params
        super().__init__(reason)


# --- prices ---------------------------------------------------------------------------------------

def check_price(unit_price: Decimal, discount_pct: Decimal, vat_pct: Decimal, quantity: int) -> None:
    """Refuse a negative price, a discount or VAT outside 0–100 %, or fewer than one copy."""
    if unit_price is None or unit_price < 0:
        raise Refusal("negative_price", price=unit_price)
    if discount_pct is None or not (0 <= discount_pct <= 100):
        raise Refusal("bad_discount", pct=discount_pct)
    if vat_pct is None or not (0 <= vat_pct <= 100):
        raise Refusal("bad_vat", pct=vat_pct)
    if quantity is None or quantity < 1:
        raise Refusal("bad_quantity", quantity=quantity)


def copy_cost(unit_price: Decimal, discount_pct: Decimal = ZERO, vat_pct: Decimal = ZERO) -> Decimal:
    """The cost of one copy: price less discount, plus VAT, rounded to satang."""
    net = Decimal(unit_price) * (HUNDRED - Decimal(discount_pct)) / HUNDRED
    return money(net * (HUNDRED + Decimal(vat_pct)) / HUNDRED)


# --- funds ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FundState:
    """A fund's figures. ``free`` may go below zero only down to ``-overdraft`` (an approved override)."""

    budget: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    overdraft: Decimal = ZERO

    @property
    def free(self) -> Decimal:
        return self.budget - self.committed - self.spent

    @property
    def available(self) -> Decimal:
        """What may still be committed: the free money plus any approved overdraft."""
        return self.free + self.overdraft


def _positive(amount: Decimal) -> Decimal:
    if amount is None or amount <= 0:
        raise Refusal("bad_amount", amount=amount)
    return money(amount)


def allocate(state: FundState, amount: Decimal) -> FundState:
    return replace(state, budget=state.budget + _positive(amount))


def commit(state: FundState, amount: Decimal) -> FundState:
    """Reserve ``amount`` for an order; refuse when it exceeds the free money and any approved overdraft."""
    if amount == 0:
        return state
    amount = _positive(amount)
    if amount > state.available:
        raise Refusal("insufficient_funds", amount=amount, available=state.available)
    return replace(state, committed=state.committed + amount)


def release(state: FundState, amount: Decimal) -> FundState:
    """Give back ``amount`` of a commitment (a cancelled copy)."""
    if amount == 0:
        return state
    amount = _positive(amount)
    if amount > state.committed:
        raise Refusal("release_exceeds_commitment", amount=amount, committed=state.committed)
    return replace(state, committed=state.committed - amount)


def spend(state: FundState, amount: Decimal) -> FundState:
    """Turn ``amount`` of the commitment into spending (an invoiced copy)."""
    if amount == 0:
        return state
    amount = _positive(amount)
    if amount > state.committed:
        raise Refusal("spend_exceeds_commitment", amount=amount, committed=state.committed)
    return replace(state, committed=state.committed - amount, spent=state.spent + amount)


def transfer(source: FundState, target: FundState, amount: Decimal) -> tuple[FundState, FundState]:
    """Move free budget from ``source`` to ``target``; committed or spent money cannot move."""
    amount = _positive(amount)
    if amount > source.free:
        raise Refusal("transfer_exceeds_free", amount=amount, free=source.free)
    return replace(source, budget=source.budget - amount), replace(target, budget=target.budget + amount)


def override(state: FundState, amount: Decimal) -> FundState:
    """Approve going ``amount`` further below zero (recorded with a reason by the service)."""
    return replace(state, overdraft=state.overdraft + _positive(amount))


# --- fiscal years and roll-over ---------------------------------------------------------------------

ROLLOVER_RULES = ("commitments", "commitments_and_free", "nothing")


def rollover_amounts(state: FundState, open_commitment: Decimal, rule: str) -> tuple[Decimal, Decimal]:
    """Return (budget carried with the open commitments, free budget carried) into next year's fund.

    ``commitments``: copies still on order move to the new year with exactly their money;
    ``commitments_and_free``: and the unspent free budget too; ``nothing``: open copies are cancelled.
    """
    if rule not in ROLLOVER_RULES:
        raise Refusal("bad_rollover_rule", rule=rule)
    if rule == "nothing":
        return ZERO, ZERO
    free = max(state.free, ZERO) if rule == "commitments_and_free" else ZERO
    return money(open_commitment), money(free)


def check_year_open(year: int, closed: bool) -> None:
    if closed:
        raise Refusal("year_closed", year=year)


# --- receiving -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Inspection:
    """One line of a delivery inspection."""

    received: int = 0
    short: int = 0
    damaged: int = 0
    wrong_title: int = 0


def check_inspection(inspection: Inspection, *, outstanding: int, title: str = "") -> None:
    """Refuse negative counts and more copies received than are still on order."""
    for name in ("received", "short", "damaged", "wrong_title"):
        if getattr(inspection, name) < 0:
            raise Refusal("negative_count", title=title)
    if inspection.received > outstanding:
        raise Refusal("over_receipt", title=title, received=inspection.received, outstanding=outstanding)


def is_late(expected_by, outstanding: int, today) -> bool:
    return bool(expected_by) and outstanding > 0 and today > expected_by


# --- Thai amounts in words ---------------------------------------------------------------------------

DIGITS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")


def _group_words(n: int, *, after_higher: bool) -> str:
    """Read 0 ≤ n < 1,000,000; ``after_higher``: digits stand before it (so a final 1 is เอ็ด)."""
    words = []
    text = str(n)
    width = len(text)
    for i, ch in enumerate(text):
        d = int(ch)
        place = width - i - 1
        if d == 0:
            continue
        if place == 1:
            words.append({1: "", 2: "ยี่"}.get(d, DIGITS[d]) + "สิบ")
        elif place == 0 and d == 1 and (n > 1 or after_higher):
            words.append("เอ็ด")
        else:
            words.append(DIGITS[d] + PLACES[place])
    return "".join(words)


def number_words(n: int) -> str:
    """Read a whole number ≥ 0 in Thai: 21 → ยี่สิบเอ็ด, 1,000,001 → หนึ่งล้านเอ็ด."""
    if n < 0:
        raise ValueError("number_words reads whole numbers ≥ 0")
    if n == 0:
        return DIGITS[0]
    millions, rest = divmod(n, 1_000_000)
    head = number_words(millions) + "ล้าน" if millions else ""
    return head + (_group_words(rest, after_higher=bool(millions)) if rest else "")


def baht_text(amount) -> str:
    """Write an amount of baht in Thai words as on a cheque or purchase order.

    1200 → หนึ่งพันสองร้อยบาทถ้วน; 21.50 → ยี่สิบเอ็ดบาทห้าสิบสตางค์; 0.25 → ยี่สิบห้าสตางค์.
    """
    value = money(amount)
    sign = "ลบ" if value < 0 else ""
    value = abs(value)
    baht = int(value)
    satang = int((value - baht) * 100)
    if baht == 0 and satang == 0:
        return "ศูนย์บาทถ้วน"
    text = number_words(baht) + "บาท" if baht else ""
    text += number_words(satang) + "สตางค์" if satang else "ถ้วน"
    return sign + text
