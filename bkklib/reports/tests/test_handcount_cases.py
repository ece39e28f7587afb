"""Hand counts of the casework indicators across the fiscal-year boundary in Bangkok time (handcount.py)."""
from datetime import date, timedelta

import pytest

from bkklib.cases.models import Case, Visit

from .handcount import FY69, FY70, OCT, OCT1, SEP, SEP30, at, check, rebuild_agrees, run_nights, two_branches

pytestmark = pytest.mark.django_db


def test_cases_filed_and_resolved_equal_the_hand_count():
    two = two_branches()
    visit = Visit.objects.create(visited_on=date(2026, 9, 30), title="ตรวจเยี่ยม", visitors="ผู้อำนวยการ")

    def case(kind, branch, filed, resolved=None, **extra):
        return Case.objects.create(
            kind=kind, branch=branch, title="เรื่องทดสอบ", description="รายละเอียด", filed_at=filed,
            state="resolved" if resolved else "new", resolved_at=resolved,
            response_unit="calendar_hours", response_amount=24, response_due_at=filed + timedelta(days=1),
            resolution_unit="calendar_hours", resolution_amount=72, resolution_due_at=filed + timedelta(days=3),
            **extra)

    case("complaint", two.a, at(2026, 9, 30, 23, 59), resolved=at(2026, 10, 1, 0, 0))  # filed Sep, resolved Oct
    case("request", two.a, at(2026, 10, 1, 0, 0), resolved=at(2026, 10, 1, 9))  # 17:00 UTC on 30 Sep: Oct
    case("complaint", two.b, at(2026, 10, 1, 11))
    case("compliment", two.b, at(2026, 9, 28, 9), resolved=at(2026, 9, 30, 23, 59))  # filed before the period
    case("suggestion", None, at(2026, 10, 1, 10), resolved=at(2026, 10, 1, 12))  # the division's: no branch
    case("visit_item", two.a, at(2026, 10, 1, 10), resolved=at(2026, 10, 1, 12), visit=visit)  # not the public's
    case("request", two.a, at(2026, 10, 2, 0, 0), resolved=at(2026, 10, 2, 1))  # outside the period
    run_nights()

    a, b = two.a.pk, two.b.pk
    check("cases.filed",
          days={(SEP30, a, "case_kind=complaint"): 1, (OCT1, a, "case_kind=request"): 1,
                (OCT1, b, "case_kind=complaint"): 1},
          months={(SEP, FY69, a, "case_kind=complaint"): 1, (OCT, FY70, a, "case_kind=request"): 1,
                  (OCT, FY70, b, "case_kind=complaint"): 1})
    # resolved: B's compliment at 23:59 on 30 Sep; A's complaint (00:00) and request (09:00) on 1 Oct
    check("cases.resolved", days={(SEP30, b, ""): 1, (OCT1, a, ""): 2},
          months={(SEP, FY69, b, ""): 1, (OCT, FY70, a, ""): 2})
    rebuild_agrees(["cases.filed", "cases.resolved"])
