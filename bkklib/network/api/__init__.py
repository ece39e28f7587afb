"""REST API of the network app (wired under /api/v1/ by bkklib/api_urls.py).

Public: districts, branches (with opening hours and today's open status) and closures.
Staff only: staff members, assignments, org units, coverage. Writes go through the services,
which apply branch scoping (``access.py``): another branch's data answers 403 on write; its
private records (staff, assignments) answer 404.

``serializers``, ``filters`` and ``views`` hold the parts; ``urlpatterns`` is re-exported here.
"""
from .filters import (  # noqa: F401
    BranchFilter,
    ClosureFilter,
)
from .serializers import (  # noqa: F401
    AssignmentSerializer,
    BranchInput,
    BranchSerializer,
    ClosureSerializer,
    DistrictRelatedField,
    DistrictSerializer,
    OrgUnitSerializer,
    PeriodSerializer,
    PositionSerializer,
    ServiceSerializer,
    StaffMemberPersonalSerializer,
    StaffMemberSerializer,
    TodaySerializer,
)
from .views import (  # noqa: F401
    AssignmentViewSet,
    BranchViewSet,
    ClosureViewSet,
    CoverageView,
    DistrictViewSet,
    OrgUnitQuery,
    OrgUnitViewSet,
    SecondStaffView,
    StaffMemberViewSet,
    StaffWithPerm,
    router,
    urlpatterns,
)
