"""Thai calendar helpers: Buddhist Era dates and the government fiscal year.

Inside the code dates are Gregorian; the Buddhist Era (BE = CE + 543) appears only at the edge,
through these helpers and the template filters built on them.
"""
from datetime import date, datetime

from django.utils import timezone

BE_OFFSET = 543

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_TH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
MONTHS_EN_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
WEEKDAYS_TH = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
WEEKDAYS_TH_ABBR = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def be_year(value: date | datetime) -> int:
    """Return the Buddhist Era year of a Gregorian date."""
    return _as_date(value).year + BE_OFFSET


def thai_date(value: date | datetime, *, long: bool = False, lang: str = "th") -> str:
    """Format a date for people: ``8 มิ.ย. 2565`` (``long``: ``8 มิถุนายน 2565``).

    With ``lang="en"`` the Common Era is kept: ``8 Jun 2022`` / ``8 June 2022``.
    """
    d = _as_date(value)
    if lang.startswith("en"):
        months = MONTHS_EN if long else MONTHS_EN_ABBR
        return f"{d.day} {months[d.month - 1]} {d.year}"
    months = MONTHS_TH if long else MONTHS_TH_ABBR
    return f"{d.day} {months[d.month - 1]} {d.year + BE_OFFSET}"


def thai_datetime(value: datetime, *, long: bool = False, lang: str = "th") -> str:
    """Format a date and time: ``8 มิ.ย. 2565 13:05 น.`` in Asia/Bangkok."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    suffix = "" if lang.startswith("en") else " น."
    return f"{thai_date(local, long=long, lang=lang)} {local:%H:%M}{suffix}"


def fiscal_year(value: date | datetime) -> int:
    """Return the Thai fiscal year (BE) of a date: 1 Oct – 30 Sep, named by the year it ends.

    2022-06-08 → 2565; 2022-09-30 → 2565; 2022-10-01 → 2566.
    """
    d = _as_date(value)
    return d.year + BE_OFFSET + (1 if d.month >= 10 else 0)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """Return the first and last day of fiscal year ``fy_be`` (BE)."""
    ce_end = fy_be - BE_OFFSET
    return date(ce_end - 1, 10, 1), date(ce_end, 9, 30)


def fiscal_quarter(value: date | datetime) -> int:
    """Return the fiscal quarter (1 = Oct–Dec ... 4 = Jul–Sep)."""
    d = _as_date(value)
    return ((d.month - 10) % 12) // 3 + 1


def fiscal_year_label(value: date | datetime, *, lang: str = "th") -> str:
    """Return ``ปีงบประมาณ 2565`` (``Fiscal year 2565`` in English; the BE name is official)."""
    fy = fiscal_year(value)
    return f"Fiscal year {fy}" if lang.startswith("en") else f"ปีงบประมาณ {fy}"
