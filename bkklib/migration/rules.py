"""Pure decisions of a migration: reading the dates, names and codes the exports write. No ORM, no clock."""
from __future__ import annotations

import re
from datetime import date, datetime, time

BE_OFFSET = 543
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_CARD_JUNK = re.compile(r"[\s\"']")


def _year(value: int) -> int:
    """A Buddhist-Era year (Thai systems write 2567) as the Common Era."""
    return value - BE_OFFSET if value > 2400 else value


def parse_moment(value: str, *, order: str = "ymd") -> datetime | None:
    """Return the date (and time, when given) an export writes, or None when there is none.

    ``order`` "ymd" reads ``2024-06-03`` (Koha, ISO), "ydm" reads ULibM's ``2568-03-06`` (year, day,
    month); day/month/year with slashes (``03/06/2567``) is read whatever the order. Buddhist-Era
    years become Common Era. Raise ValueError for text that is no date.
    """
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    if m := _ISO.match(value):
        y, a, b = int(m[1]), int(m[2]), int(m[3])
        month, day = (b, a) if order == "ydm" else (a, b)
        clock = time(int(m[4]), int(m[5]), int(m[6] or 0)) if m[4] else time(0, 0)
    elif m := _DMY.match(value):
        day, month, y = int(m[1]), int(m[2]), int(m[3])
        clock = time(int(m[4]), int(m[5]), int(m[6] or 0)) if m[4] else time(0, 0)
    else:
        raise ValueError(value)
    return datetime.combine(date(_year(y), month, day), clock)


def parse_date(value: str, *, order: str = "ymd") -> date | None:
    moment = parse_moment(value, order=order)
    return moment.date() if moment else None


def card_number(value: str) -> str:
    """ULibM writes a card as ``" 123"`` (quoted, with a blank): keep the number only."""
    return _CARD_JUNK.sub("", value or "")


# Thai prefixes ULibM keeps in the name when "prefi" is empty.
_PREFIXES = ("นาย", "นางสาว", "นาง", "น.ส.", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง", "Mr.", "Mrs.", "Ms.", "Miss")


def split_name(name: str) -> tuple[str, str]:
    """Return (first, last) of a full name written in one column (``นายสมชาย ใจดี``): the first word is the
    given name, the rest the surname (Thai names are written given name first); a title prefix is dropped."""
    name = " ".join((name or "").split())
    for prefix in sorted(_PREFIXES, key=len, reverse=True):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):].strip()
            break
    first, _sep, last = name.partition(" ")
    return first, last


def is_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in text or "")


def joined(values: list[str]) -> str:
    return " ".join(v.strip() for v in values if v and v.strip())
