"""Pure decisions of the network app: no ORM, no clock, no HTTP.

- staleness of a branch's basic data;
- opening hours: problems with a set of periods, parsing the short Thai/English notation;
- the next open day from weekly hours and closed days;
- staff coverage: understaffed branch-days, secondment proposals and their refusal reasons;
- comparing two versions of the organisation structure.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

# --- Staleness -----------------------------------------------------------------------------------

NEVER_VERIFIED = "never_verified"
VERIFICATION_EXPIRED = "verification_expired"
CHANGED_SINCE_VERIFIED = "changed_since_verified"


def staleness(*, verified_on: date | None, changed_since_verified: bool, today: date,
              stale_after_days: int) -> str | None:
    """Return why a branch's basic data is stale, or None when it is fresh.

    Stale when it was never verified, when the last verification is more than
    ``stale_after_days`` days before ``today``, or when it was edited after the last verification.
    """
    if verified_on is None:
        return NEVER_VERIFIED
    if changed_since_verified:
        return CHANGED_SINCE_VERIFIED
    if (today - verified_on).days > stale_after_days:
        return VERIFICATION_EXPIRED
    return None


def is_stale(**kwargs) -> bool:
    """Return True when ``staleness(**kwargs)`` finds a reason."""
    return staleness(**kwargs) is not None


def stale_cutoff(today: date, stale_after_days: int) -> date:
    """Return the earliest verification day that is still fresh on ``today``."""
    return today - timedelta(days=stale_after_days)


# --- Opening hours -------------------------------------------------------------------------------


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


# --- Closures ------------------------------------------------------------------------------------

CLOSURE_ENDS_BEFORE_START = "closure_ends_before_start"


def closure_refusal(*, starts_on: date, ends_on: date) -> str | None:
    """Return why a closure from ``starts_on`` to ``ends_on`` may not be saved, or None.

    A closure covers both days given; one day is ``starts_on == ends_on``. The last closed day
    cannot be before the first.
    """
    if ends_on < starts_on:
        return CLOSURE_ENDS_BEFORE_START
    return None


# --- Open days -----------------------------------------------------------------------------------


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


# --- Staff coverage ------------------------------------------------------------------------------


@dataclass
class Roster:
    """Who works where on each day of a range, and what each open branch-day needs.

    ``working[day][branch]`` is the set of staff ids at ``branch`` that day (a secondment puts a
    person at the receiving branch and takes them from their home branch); ``minimum`` has an
    entry only for the days a branch is open; ``home`` maps each staff id to the branch of their
    primary post (the only people that may be lent, by their home branch).
    """

    days: list[date]
    working: dict[date, dict[int, set[int]]]
    minimum: dict[tuple[int, date], int]
    home: dict[int, int] = field(default_factory=dict)

    def count(self, branch: int, day: date) -> int:
        return len(self.working.get(day, {}).get(branch, ()))

    def copy(self) -> Roster:
        return Roster(
            days=list(self.days),
            working={d: {b: set(s) for b, s in per.items()} for d, per in self.working.items()},
            minimum=dict(self.minimum),
            home=dict(self.home),
        )


@dataclass(frozen=True)
class Shortage:
    """An open branch-day with fewer staff than its minimum."""

    branch: int
    day: date
    have: int
    need: int

    @property
    def missing(self) -> int:
        return self.need - self.have


@dataclass(frozen=True)
class Proposal:
    """Second ``staff`` from ``from_branch`` to ``to_branch`` from ``starts_on`` to ``ends_on``."""

    staff: int
    from_branch: int
    to_branch: int
    starts_on: date
    ends_on: date


MAX_COVERAGE_DAYS = 62
COVERAGE_RANGE_REVERSED = "coverage_range_reversed"
COVERAGE_RANGE_TOO_LONG = "coverage_range_too_long"


def coverage_range_refusal(start: date, end: date) -> str | None:
    """Return why the coverage of ``start``..``end`` may not be planned, or None.

    The range counts both ends (``start``..``start + 6`` is one week, 7 days) and holds at most
    ``MAX_COVERAGE_DAYS`` days: ``start``..``start + 61`` is allowed, ``start + 62`` is one day
    too many.
    """
    if end < start:
        return COVERAGE_RANGE_REVERSED
    if (end - start).days + 1 > MAX_COVERAGE_DAYS:
        return COVERAGE_RANGE_TOO_LONG
    return None


LENDING_BRANCH_SHORT = "lending_branch_short"
NOT_AT_HOME_BRANCH = "not_at_home_branch"
SAME_BRANCH = "same_branch"
BAD_RANGE = "bad_range"


def shortages(roster: Roster) -> list[Shortage]:
    """Return every open branch-day of the roster below its minimum, by day then branch."""
    found = []
    for (branch, day), need in roster.minimum.items():
        have = roster.count(branch, day)
        if have < need:
            found.append(Shortage(branch, day, have, need))
    found.sort(key=lambda s: (s.day, s.branch))
    return found


def _days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def secondment_refusal(roster: Roster, *, staff: int, from_branch: int, to_branch: int,
                       starts_on: date, ends_on: date) -> str | None:
    """Return why ``staff`` may not be seconded as asked, or None.

    Refused when the dates are reversed, when the branches are the same, when the person is not
    working at ``from_branch`` (their home branch) on every day of the range known to the
    roster, or when taking them away leaves ``from_branch`` below its own minimum on one of its
    open days.
    """
    if ends_on < starts_on:
        return BAD_RANGE
    if from_branch == to_branch:
        return SAME_BRANCH
    if roster.home.get(staff) != from_branch:
        return NOT_AT_HOME_BRANCH
    for day in _days_between(starts_on, ends_on):
        if day not in roster.working:
            continue
        if staff not in roster.working[day].get(from_branch, ()):
            return NOT_AT_HOME_BRANCH
        need = roster.minimum.get((from_branch, day))
        if need is not None and roster.count(from_branch, day) - 1 < need:
            return LENDING_BRANCH_SHORT
    return None


def _apply(roster: Roster, proposal: Proposal) -> None:
    for day in _days_between(proposal.starts_on, proposal.ends_on):
        if day not in roster.working:
            continue
        roster.working[day].setdefault(proposal.from_branch, set()).discard(proposal.staff)
        roster.working[day].setdefault(proposal.to_branch, set()).add(proposal.staff)


def _run(roster: Roster, branch: int, start: date, skipped: set) -> list[date]:
    """Return the short days of ``branch`` from ``start`` that one secondment could cover.

    Days on which the branch is closed do not break a run (a Monday between Sunday and Tuesday).
    """
    run = [start]
    day = start + timedelta(days=1)
    while day in roster.working:
        need = roster.minimum.get((branch, day))
        if need is None:
            day += timedelta(days=1)
            continue
        if roster.count(branch, day) >= need or (branch, day) in skipped:
            break
        run.append(day)
        day += timedelta(days=1)
    return run


def _spare(roster: Roster, branch: int, days: list[date]) -> int:
    """Return the fewest spare staff ``branch`` has over ``days`` (its open days only)."""
    spare = None
    for day in days:
        need = roster.minimum.get((branch, day))
        if need is None:
            continue
        left = roster.count(branch, day) - need
        spare = left if spare is None else min(spare, left)
    return 10**6 if spare is None else spare


def _best_candidate(roster: Roster, branch: int, starts_on: date, ends_on: date,
                    closeness: Callable[[int, int], int]) -> Proposal | None:
    days = _days_between(starts_on, ends_on)
    best_key, best = None, None
    for staff, home in roster.home.items():
        if home == branch:
            continue
        if secondment_refusal(roster, staff=staff, from_branch=home, to_branch=branch,
                              starts_on=starts_on, ends_on=ends_on):
            continue
        # Most spare staff first (the lending branch misses them least), then nearest, then stable order.
        key = (-_spare(roster, home, days), closeness(home, branch), home, staff)
        if best_key is None or key < best_key:
            best_key, best = key, Proposal(staff, home, branch, starts_on, ends_on)
    return best


def propose_secondments(roster: Roster, *, closeness: Callable[[int, int], int] | None = None
                        ) -> tuple[list[Proposal], list[Shortage]]:
    """Propose secondments that lift every short branch-day to its minimum where possible.

    Only people at their home branch are lent, and never so that their home branch falls below
    its own minimum on one of its open days. One secondment covers a run of short days (closed
    days inside the run included); when nobody can cover the whole run, single days are tried.
    Return the proposals (in the order found) and the shortages nobody could cover.
    """
    closeness = closeness or (lambda a, b: 0)
    plan = roster.copy()
    proposals: list[Proposal] = []
    skipped: set[tuple[int, date]] = set()
    while True:
        pending = [s for s in shortages(plan) if (s.branch, s.day) not in skipped]
        if not pending:
            break
        first = pending[0]
        run = _run(plan, first.branch, first.day, skipped)
        chosen = _best_candidate(plan, first.branch, run[0], run[-1], closeness)
        if chosen is None and len(run) > 1:
            chosen = _best_candidate(plan, first.branch, first.day, first.day, closeness)
        if chosen is None:
            skipped.add((first.branch, first.day))
            continue
        _apply(plan, chosen)
        # A person lent for a whole run is no longer at home: they cannot be lent twice.
        plan.home.pop(chosen.staff, None)
        proposals.append(chosen)
    unresolved = [s for s in shortages(plan) if (s.branch, s.day) in skipped]
    return proposals, unresolved


# --- Organisation structure ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSnapshot:
    """What a unit looks like in one structure version (compared by ``code``)."""

    code: str
    name: str
    kind: str
    parent: str | None
    branches: frozenset[str] = frozenset()
    parent_name: str = ""  # what people read; ``parent`` (a code) is what is compared


ADDED = "added"
REMOVED = "removed"
RENAMED = "renamed"
MOVED = "moved"
BRANCHES_CHANGED = "branches_changed"


@dataclass(frozen=True)
class UnitDiff:
    """One row of a side-by-side comparison: the unit before and after, and what changed."""

    code: str
    before: UnitSnapshot | None
    after: UnitSnapshot | None
    changes: tuple[str, ...]
    branches_in: frozenset[str] = frozenset()
    branches_out: frozenset[str] = frozenset()


def compare_structures(before: dict[str, UnitSnapshot], after: dict[str, UnitSnapshot]) -> list[UnitDiff]:
    """Compare two structure versions unit by unit (by code), in a stable order."""
    rows = []
    for code in sorted(set(before) | set(after)):
        a, b = before.get(code), after.get(code)
        if a is None:
            rows.append(UnitDiff(code, None, b, (ADDED,), branches_in=b.branches))
            continue
        if b is None:
            rows.append(UnitDiff(code, a, None, (REMOVED,), branches_out=a.branches))
            continue
        changes = []
        if a.name != b.name:
            changes.append(RENAMED)
        if a.parent != b.parent:
            changes.append(MOVED)
        if a.branches != b.branches:
            changes.append(BRANCHES_CHANGED)
        rows.append(UnitDiff(code, a, b, tuple(changes), branches_in=b.branches - a.branches,
                             branches_out=a.branches - b.branches))
    return rows


# --- Distances and nearby branches -------------------------------------------------------------


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Return the great-circle distance in kilometres between two points (haversine)."""
    earth_radius_km = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * earth_radius_km * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Place:
    """Where a branch is: its id, coordinates (None when unknown) and district."""

    id: int
    lat: float | None
    lng: float | None
    district_id: int | None


def nearest(origin: Place, places: Iterable[Place], *, limit: int) -> list[tuple[int, float | None]]:
    """Return up to ``limit`` (id, km) of the places nearest ``origin`` (``origin`` itself excluded).

    With coordinates on both sides the distance decides; places of the origin's district without
    coordinates come after those measured. When the origin has no coordinates, its district's
    places are the nearby ones (km None). Ties keep the order of ``places`` (give them in Thai
    order).
    """
    ranked: list[tuple[tuple[int, float], int, float | None]] = []
    located = origin.lat is not None and origin.lng is not None
    for place in places:
        if place.id == origin.id:
            continue
        if located and place.lat is not None and place.lng is not None:
            km = distance_km(origin.lat, origin.lng, place.lat, place.lng)
            ranked.append(((0, km), place.id, km))
        elif origin.district_id is not None and place.district_id == origin.district_id:
            ranked.append(((1, 0.0), place.id, None))
    ranked.sort(key=lambda row: row[0])  # stable: equal keys keep the caller's order
    return [(place_id, km) for _key, place_id, km in ranked[:max(0, limit)]]
