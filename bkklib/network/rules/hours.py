"""Pure decisions about opening: weekly hours (problems, the short notation), closures, open days, open now."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class Period:
    """A period a branch is open on a weekday (0 = Monday)."""

    weekday: int
    opens_at: time
    closes_at: time


@dataclass(frozen=True)
class HoursProblem:
    """Something wrong with period number ``index``: ``field`` and a stable ``code``.

    ``other`` is the index of the period it clashes with (for overlaps).
    """

    index: int
    field: str
    code: str
    other: int | None = None


CLOSES_BEFORE_OPENS = "closes_before_opens"
OVERLAPS = "overlapping_periods"
WEEKDAY_OUT_OF_RANGE = "weekday_out_of_range"


def hours_problems(periods: list[Period]) -> list[HoursProblem]:
    """Return every problem of a branch's weekly hours (empty when they may be saved).

    A period must close after it opens; two periods of the same weekday must not overlap
    (touching, 12:00–13:00 then 13:00–16:00, is allowed). The error goes on the opening time of
    the period that opens while another is still open, and names that other period.
    """
    problems: list[HoursProblem] = []
    valid: list[tuple[int, Period]] = []
    for index, period in enumerate(periods):
        if not 0 <= period.weekday <= 6:
            problems.append(HoursProblem(index, "weekday", WEEKDAY_OUT_OF_RANGE))
        elif period.closes_at <= period.opens_at:
            problems.append(HoursProblem(index, "closes_at", CLOSES_BEFORE_OPENS))
        else:
            valid.append((index, period))
    by_day: dict[int, list[tuple[int, Period]]] = {}
    for index, period in valid:
        by_day.setdefault(period.weekday, []).append((index, period))
    for day_periods in by_day.values():
        day_periods.sort(key=lambda item: (item[1].opens_at, item[0]))
        # Sweep by opening time, remembering the period that stays open longest so far: a period
        # opening before that one closes overlaps it (even when periods in between do not).
        holder_index, holder = day_periods[0]
        for index, period in day_periods[1:]:
            if period.opens_at < holder.closes_at:
                problems.append(HoursProblem(index, "opens_at", OVERLAPS, other=holder_index))
            if period.closes_at > holder.closes_at:
                holder_index, holder = index, period
    problems.sort(key=lambda p: (p.index, p.field))
    return problems


_DAY_WORDS = {
    # Thai abbreviations (with the dot stripped) and full names, English short and long names.
    "จ": 0, "จันทร์": 0, "วันจันทร์": 0, "mon": 0, "monday": 0,
    "อ": 1, "อังคาร": 1, "วันอังคาร": 1, "tue": 1, "tues": 1, "tuesday": 1,
    "พ": 2, "พุธ": 2, "วันพุธ": 2, "wed": 2, "wednesday": 2,
    "พฤ": 3, "พฤหัส": 3, "พฤหัสบดี": 3, "วันพฤหัสบดี": 3, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "ศ": 4, "ศุกร์": 4, "วันศุกร์": 4, "fri": 4, "friday": 4,
    "ส": 5, "เสาร์": 5, "วันเสาร์": 5, "sat": 5, "saturday": 5,
    "อา": 6, "อาทิตย์": 6, "วันอาทิตย์": 6, "sun": 6, "sunday": 6,
}
_EVERY_DAY = {"ทุกวัน", "daily", "everyday", "every day"}
_CLOSED_WORDS = {"ปิด", "closed", "หยุด"}
_TIME_RANGE = re.compile(r"(\d{1,2})[:.](\d{2})\s*(?:น\.)?\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*(?:น\.)?")
_FIRST_DIGIT = re.compile(r"\d")


class HoursSyntaxError(ValueError):
    """The hours text cannot be read; ``code`` says why and ``part`` shows where."""

    def __init__(self, code: str, part: str):
        super().__init__(f"{code}: {part}")
        self.code = code
        self.part = part


def _day(word: str, part: str) -> int:
    key = word.strip().strip(".").strip().lower()
    if key not in _DAY_WORDS:
        raise HoursSyntaxError("unknown_day", part)
    return _DAY_WORDS[key]


def _days(text: str, part: str) -> list[int]:
    text = re.sub(r"\s*[-–—]\s*", "-", text.strip().rstrip(":").strip())
    if text.lower() in _EVERY_DAY:
        return list(range(7))
    days: list[int] = []
    for chunk in re.split(r"[,/]|\s+และ\s+|\s+(?=\S)", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        ends = re.split(r"\s*[-–—]\s*", chunk)
        if len(ends) == 1:
            days.append(_day(ends[0], part))
        elif len(ends) == 2:
            first, last = _day(ends[0], part), _day(ends[1], part)
            day = first
            while True:  # a range may wrap the week: ศ.-จ. is Fri, Sat, Sun, Mon
                days.append(day)
                if day == last:
                    break
                day = (day + 1) % 7
        else:
            raise HoursSyntaxError("bad_day_range", part)
    if not days:
        raise HoursSyntaxError("no_days", part)
    return days


def _time(hours: str, minutes: str, part: str) -> time:
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        raise HoursSyntaxError("bad_time", part)
    return time(h, m)


def parse_hours(text: str) -> list[Period]:
    """Read weekly hours written as ``อ.-ส. 09:00-20:30; อา. 09:00-20:00``.

    Groups are separated by ``;`` or new lines; each is days (``จ.``, ``อ.-ส.``, ``Tue-Sat``,
    ``ทุกวัน``) then one or more periods ``09:00-12:00, 13:00-16:30`` (``09.00`` also works), or
    ``ปิด``/``closed``. Raise HoursSyntaxError on anything else; the result is not yet checked
    for overlaps (see ``hours_problems``).
    """
    periods: list[Period] = []
    for raw in re.split(r"[;\n]", text or ""):
        part = raw.strip()
        if not part:
            continue
        lowered = part.lower()
        closed = next((w for w in _CLOSED_WORDS if lowered.endswith(w)), None)
        if closed:
            _days(part[: len(part) - len(closed)], part)  # validate the day names; no periods
            continue
        digit = _FIRST_DIGIT.search(part)
        if not digit:
            raise HoursSyntaxError("no_times", part)
        days = _days(part[: digit.start()], part)
        times_text = part[digit.start():]
        ranges = list(_TIME_RANGE.finditer(times_text))
        leftover = _TIME_RANGE.sub("", times_text)
        if not ranges or re.sub(r"[\s,และ]|น\.", "", leftover):
            raise HoursSyntaxError("bad_times", part)
        for match in ranges:
            opens = _time(match.group(1), match.group(2), part)
            closes = _time(match.group(3), match.group(4), part)
            periods.extend(Period(day, opens, closes) for day in days)
    periods.sort(key=lambda p: (p.weekday, p.opens_at))
    return periods


WEEKDAY_ABBR_TH = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")
WEEKDAY_ABBR_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_hours(periods: Iterable[Period], *, lang: str = "th") -> str:
    """Write weekly hours in the notation ``parse_hours`` reads, grouping days with equal hours."""
    names = WEEKDAY_ABBR_EN if lang.startswith("en") else WEEKDAY_ABBR_TH
    by_day: dict[int, tuple[tuple[time, time], ...]] = {}
    for p in sorted(periods, key=lambda p: (p.weekday, p.opens_at)):
        by_day[p.weekday] = (*by_day.get(p.weekday, ()), (p.opens_at, p.closes_at))
    groups: list[tuple[int, int, tuple]] = []
    for day in range(7):
        if day not in by_day:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == by_day[day]:
            groups[-1] = (groups[-1][0], day, by_day[day])
        else:
            groups.append((day, day, by_day[day]))
    parts = []
    for first, last, spans in groups:
        days = names[first] if first == last else f"{names[first]}-{names[last]}"
        times = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in spans)
        parts.append(f"{days} {times}")
    return "; ".join(parts)


CLOSURE_ENDS_BEFORE_START = "closure_ends_before_start"


def closure_refusal(*, starts_on: date, ends_on: date) -> str | None:
    """Return why a closure from ``starts_on`` to ``ends_on`` may not be saved, or None.

    A closure covers both days given; one day is ``starts_on == ends_on``. The last closed day
    cannot be before the first.
    """
    if ends_on < starts_on:
        return CLOSURE_ENDS_BEFORE_START
    return None


def next_open_day(*, start: date, weekdays: set[int], closed: set[date], horizon_days: int = 366) -> date | None:
    """Return the first day from ``start`` that is an open weekday and not closed, within the horizon."""
    if not weekdays:
        return None
    day = start
    last = start + timedelta(days=horizon_days)
    while day <= last:
        if day.weekday() in weekdays and day not in closed:
            return day
        day += timedelta(days=1)
    return None


def open_now(*, at: datetime, periods: Iterable[Period], day_is_open: bool) -> bool:
    """Return True when local moment ``at`` falls in one of the weekday's periods on an open day."""
    if not day_is_open:
        return False
    moment = at.time()
    return any(p.weekday == at.weekday() and p.opens_at <= moment < p.closes_at for p in periods)
