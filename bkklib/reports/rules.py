"""Pure period arithmetic of the reports: months, fiscal years (1 Oct – 30 Sep, named in BE), how a
period's figures add up (flow: sum; stock: the last day; ratio: numerator over denominator), and which
open-data cells are too small to publish."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from bkklib.core.calendar import fiscal_year, fiscal_year_bounds

SMALL_CELL = 5  # open data: a count of 1..4 people at one branch in one month is not published
MAX_REBUILD_DAYS = 800  # a rebuild covers at most about two fiscal years at a time


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def months(first: date, last: date) -> list[date]:
    """The first days of every month touching ``first`` .. ``last``."""
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def fiscal_months(fy_be: int) -> list[date]:
    """The twelve months of fiscal year ``fy_be`` (BE): October of the year before to September."""
    first, last = fiscal_year_bounds(fy_be)
    return months(first, last)


def fiscal_month_index(month: date) -> int:
    """1 for October ... 12 for September."""
    return (month.month - 10) % 12 + 1


def month_range(fy_be: int, first_index: int = 1, last_index: int = 12) -> tuple[date, date]:
    """Return the first days of the first and last month of a range of a fiscal year (1 = October)."""
    all_months = fiscal_months(fy_be)
    first_index = min(max(first_index, 1), 12)
    last_index = min(max(last_index, first_index), 12)
    return all_months[first_index - 1], all_months[last_index - 1]


def current_fiscal_year(today: date) -> int:
    return fiscal_year(today)


def combine(kind: str, values_by_month: dict[date, Decimal]) -> Decimal:
    """Add the monthly values of one cell over a period: a flow sums, a stock keeps its last month."""
    if not values_by_month:
        return Decimal(0)
    if kind == "stock":
        return values_by_month[max(values_by_month)]
    return sum(values_by_month.values(), Decimal(0))


def ratio(numerator: Decimal | int | float, denominator: Decimal | int | float) -> Decimal | None:
    """Numerator over denominator to 4 places, None when nothing was counted."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """The change from ``previous`` to ``current`` as a percentage (1 place), None when it has no meaning."""
    if current is None or not previous:
        return None
    return ((Decimal(current) - Decimal(previous)) / Decimal(previous) * 100).quantize(Decimal("0.1"))


def suppressed(value: Decimal | int | float, unit_is_people: bool = True) -> bool:
    """A published cell is withheld when it counts 1..4 (people or their acts: re-identification risk)."""
    return unit_is_people and 0 < value < SMALL_CELL


def same_months_previous_year(first: date, last: date) -> tuple[date, date]:
    return first.replace(year=first.year - 1), last.replace(year=last.year - 1)


def clean_number(value: Decimal | None) -> int | float | None:
    """A stored Decimal as the plainest number (int when whole) for JSON and display."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))
