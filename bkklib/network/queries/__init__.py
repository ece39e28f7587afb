"""Read-side questions about the network, one module per sub-domain.

- ``registry``: freshness of basic data, pickup points;
- ``hours``: closures, open days, open now (``open_status``: the one home of "open now");
- ``coverage``: the staff coverage roster and report;
- ``structure``: organisation structure versions and trees;
- ``workdays``: the government working calendar (business days and hours).

Everything public is re-exported here: callers write ``queries.open_status``, ``queries.coverage``...
"""
from .coverage import (  # noqa: F401
    Coverage,
    coverage,
    open_days,
    roster,
    weekly_hours,
)
from .hours import (  # noqa: F401
    LONGEST_CLOSURE,
    STATUS_HORIZON,
    OpenStatus,
    closed_days,
    closures_for,
    is_open,
    is_open_on,
    next_open_day,
    open_day_checker,
    open_status,
    open_weekdays,
)
from .registry import (  # noqa: F401
    NEARBY_PICKUP_POINTS,
    NO_PICKUP_KINDS,
    PickupChoices,
    accepts_pickups,
    count_stale_branches,
    pickup_points,
    pickup_points_near,
    stale_after_days,
    stale_branches,
    stale_q,
    staleness_of,
    verifiers_of,
)
from .structure import (  # noqa: F401
    OrgNode,
    compare_versions,
    draft_versions,
    org_chart,
    org_tree,
    scheduled_versions,
    snapshot,
    unit_of,
    version_in_force,
)
from .workdays import work_calendar  # noqa: F401
