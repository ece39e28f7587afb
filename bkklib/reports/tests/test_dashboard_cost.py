"""The dashboard's cost does not grow with the network: the same number of queries for 2 or 32 branches and for
one month or twelve, and a warm page (the body kept until the next aggregation run) reads only the session, the
user, the change stamps and the latest run."""
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bkklib.network.tests.factories import BranchFactory
from bkklib.reports import rules
from bkklib.reports.models import MonthlyFigure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_world")]  # every test reads the world


def queries_of(client, url: str, *, cold: bool) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_branches_or_months(client, stored, december_2026):
    client.force_login(stored.executive)
    one_month = "/staff/dashboard/?fy=2570&from=1&to=1&indicator=circulation.loans"
    whole_year = "/staff/dashboard/?fy=2570&from=1&to=12&indicator=circulation.loans"
    client.get(whole_year)  # the session and the user's permissions, once
    before = {url: queries_of(client, url, cold=True) for url in (one_month, whole_year)}
    assert before[one_month] == before[whole_year]

    for branch in BranchFactory.create_batch(30):  # 30 more branches with figures in every month of two years
        MonthlyFigure.objects.bulk_create([
            MonthlyFigure(indicator=key, month=month, fiscal_year=fy, branch=branch, value=3)
            for fy in (2569, 2570) for month in rules.fiscal_months(fy)
            for key in ("circulation.loans", "circulation.returns", "circulation.active_members")])
    after = {url: queries_of(client, url, cold=True) for url in (one_month, whole_year)}
    assert after == before
    html = client.get(whole_year).content.decode()
    assert html.count('href="/staff/reports/factsheet/?branch=') == 32  # the new branches are in the table


def test_a_warm_page_reads_four_queries_and_a_new_run_shows_new_figures(client, stored, december_2026):
    from bkklib.reports import services

    client.force_login(stored.executive)
    url = "/staff/dashboard/?fy=2570&from=1&to=2&indicator=circulation.loans"
    cold = queries_of(client, url, cold=True)
    warm = queries_of(client, url, cold=False)
    assert warm == 4 < cold  # session, user, change stamps, latest run
    assert 'data-indicator="circulation.loans"' in client.get(url).content.decode()

    # a corrected loan is counted by a rebuild: the next page shows it, without waiting for the cache to expire
    from bkklib.circulation.models import Loan

    loan = Loan.objects.filter(branch=stored.world.b, checked_out_at__date=date(2026, 11, 1)).first()
    Loan.objects.filter(pk=loan.pk).update(branch=stored.world.a)
    services.rebuild(date(2026, 10, 31), date(2026, 11, 1), user=None, reason="แก้สาขา", today=date(2026, 12, 7))
    html = client.get(url).content.decode()
    tile = html[html.index('data-indicator="circulation.loans"'):]
    assert 'data-value="5"' in tile[:400]  # the total is the same...
    rows = html[html.index('class="branches"'):]
    a_row = rows[rows.index(stored.world.a.name_th):]
    assert '<td class="num">3</td>' in a_row[:300]  # ...but A now has 2 in October and 1 in November


def test_the_nightly_task_leaves_the_first_page_warm(client, stored, december_2026):
    from bkklib.reports import tasks

    cache.clear()
    tasks.aggregate_yesterday.call_local()  # counts 6 Dec, then renders the current fiscal year's page in Thai
    client.force_login(stored.executive)
    client.get("/staff/reports/")  # the session and the user's permissions, once
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/staff/dashboard/").content.decode()
    assert len(captured.captured_queries) == 4
    assert '<option value="2570" selected>' in html  # the current fiscal year
    assert 'data-indicator="circulation.loans"' in html
