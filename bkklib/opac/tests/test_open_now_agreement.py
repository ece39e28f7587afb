""""Open now" has one home (network's ``open_status``): the public directory agrees with it everywhere."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bkklib.network import queries as network_queries
from bkklib.network.models import Branch, Closure
from bkklib.network.tests.factories import BranchFactory
from bkklib.opac import queries

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")
TUESDAY = date(2025, 6, 10)


def test_the_directory_and_open_status_agree_at_every_moment_of_a_week(fixed_now, client):
    split = BranchFactory(code="split", hours=[(d, time(9), time(12)) for d in range(1, 7)]
                          + [(d, time(13), time(16, 30)) for d in range(1, 7)])
    late = BranchFactory(code="late", hours=[(d, time(10), time(20, 30)) for d in range(7)])
    shut = BranchFactory(code="shut", status=Branch.Status.TEMPORARILY_CLOSED,
                         hours=[(d, time(0), time(23, 59)) for d in range(7)])
    Closure.objects.create(branch=late, starts_on=TUESDAY + timedelta(days=2), ends_on=TUESDAY + timedelta(days=3),
                           reason_th="ซ่อมแอร์")
    Closure.objects.create(branch=None, starts_on=TUESDAY + timedelta(days=5), ends_on=TUESDAY + timedelta(days=5),
                           reason_th="วันหยุดราชการ")
    branches = list(Branch.objects.filter(pk__in=[split.pk, late.pk, shut.pk]).prefetch_related("opening_periods"))
    moments = [datetime.combine(TUESDAY + timedelta(days=d), time(h, m), BKK)
               for d in range(-1, 7) for h, m in [(8, 59), (9, 0), (11, 59), (12, 0), (12, 30), (13, 0),
                                                   (16, 29), (16, 30), (20, 29), (20, 30), (23, 0)]]
    seen = set()
    for moment in moments:
        states = network_queries.open_status(branches, moment)
        for status in queries.branch_statuses(branches, moment):
            assert status.is_open_now == states[status.branch.pk].is_open_now, (status.branch.code, moment)
            seen.add(status.is_open_now)
    assert seen == {True, False}

    # The branch page says the same as the rule at a moment the rule calls open, and at one it calls closed.
    for moment, expected in [(datetime.combine(TUESDAY, time(10), BKK), True),
                             (datetime.combine(TUESDAY, time(12, 30), BKK), False)]:
        fixed_now(moment)
        page = client.get("/libraries/split/")
        assert page.context["status"].is_open_now is expected
        assert network_queries.open_status([split], moment)[split.pk].is_open_now is expected


def test_every_caller_asks_for_the_one_facet_list():
    from bkklib.catalog import api as catalog_api
    from bkklib.catalog.management.commands import search as search_command
    from bkklib.opac import catalog_views
    from bkklib.search.documents import FACETS

    assert catalog_api.FACETS is FACETS and catalog_views.FACETS is FACETS and search_command.FACETS is FACETS
