"""Pure decisions about staff coverage: the coverage range, shortages, secondments and proposals."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta


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


def apply_proposal(roster: Roster, proposal: Proposal) -> None:
    """Move the proposal's person in ``roster`` on the days of the secondment (in place)."""
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
        apply_proposal(plan, chosen)
        # A person lent for a whole run is no longer at home: they cannot be lent twice.
        plan.home.pop(chosen.staff, None)
        proposals.append(chosen)
    unresolved = [s for s in shortages(plan) if (s.branch, s.day) in skipped]
    return proposals, unresolved
