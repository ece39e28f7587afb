"""Pure decisions of the network app, one module per sub-domain: no ORM, no clock, no HTTP.

- ``registry``: staleness of a branch's basic data, distances and nearby branches;
- ``hours``: weekly hours, closures, open days, open now;
- ``coverage``: the coverage range, understaffed branch-days, secondments and proposals;
- ``structure``: comparing two versions of the organisation structure;
- ``workdays``: the government working calendar and deadline clocks.

Everything public is re-exported here: callers write ``rules.staleness``, ``rules.Period``...
"""
from .coverage import (  # noqa: F401
    BAD_RANGE,
    COVERAGE_RANGE_REVERSED,
    COVERAGE_RANGE_TOO_LONG,
    LENDING_BRANCH_SHORT,
    MAX_COVERAGE_DAYS,
    NOT_AT_HOME_BRANCH,
    SAME_BRANCH,
    Proposal,
    Roster,
    Shortage,
    apply_proposal,
    coverage_range_refusal,
    propose_secondments,
    secondment_refusal,
    shortages,
)
from .hours import (  # noqa: F401
    CLOSES_BEFORE_OPENS,
    CLOSURE_ENDS_BEFORE_START,
    OVERLAPS,
    WEEKDAY_ABBR_EN,
    WEEKDAY_ABBR_TH,
    WEEKDAY_OUT_OF_RANGE,
    HoursProblem,
    HoursSyntaxError,
    Period,
    closure_refusal,
    format_hours,
    hours_problems,
    next_open_day,
    open_now,
    parse_hours,
)
from .registry import (  # noqa: F401
    CHANGED_SINCE_VERIFIED,
    NEVER_VERIFIED,
    VERIFICATION_EXPIRED,
    Place,
    distance_km,
    is_stale,
    nearest,
    stale_cutoff,
    staleness,
)
from .structure import (  # noqa: F401
    ADDED,
    BRANCHES_CHANGED,
    MOVED,
    REMOVED,
    RENAMED,
    UnitDiff,
    UnitSnapshot,
    compare_structures,
)
from .workdays import (  # noqa: F401
    BUSINESS_DAYS,
    BUSINESS_HOURS,
    CALENDAR_HOURS,
    WorkCalendar,
    advance,
    counted,
    due_at,
    remaining,
)
