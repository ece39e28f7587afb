"""Open data: a public page and CSV/JSON per indicator and month, no personal data, small cells withheld."""
import csv
import io

import pytest

from bkklib.reports import opendata

pytestmark = pytest.mark.django_db


def test_the_open_data_page_is_public_and_links_every_public_indicator(client, stored, december_2026):
    html = client.get("/open-data/").content.decode()
    assert "ข้อมูลเปิดของห้องสมุด" in html
    assert "/open-data/circulation.loans.csv" in html and "/open-data/circulation.loans_by_kind.csv" not in html


def test_small_cells_are_withheld_and_a_lone_one_takes_the_next_with_it(client, stored):
    rows = opendata.rows("circulation.loans")
    w = stored.world
    by = {(r["month"], r["branch_code"]): (r["value"], r["suppressed"]) for r in rows}
    # every branch-month here counts fewer than 5 loans: all withheld, nothing leaks
    assert by == {("2026-09", w.a.code): (None, True), ("2026-10", w.a.code): (None, True),
                  ("2026-10", w.b.code): (None, True), ("2026-11", w.b.code): (None, True)}


def test_a_lone_small_cell_also_withholds_the_next_smallest(db):
    from datetime import date

    from bkklib.network.tests.factories import BranchFactory
    from bkklib.reports.models import MonthlyFigure

    a, b, c = BranchFactory(), BranchFactory(), BranchFactory()
    for branch, value in ((a, 3), (b, 40), (c, 25)):
        MonthlyFigure.objects.create(indicator="circulation.loans", month=date(2026, 10, 1), fiscal_year=2570,
                                     branch=branch, value=value)
    got = {r["branch_code"]: (r["value"], r["suppressed"]) for r in opendata.rows("circulation.loans")}
    assert got == {a.code: (None, True), b.code: (40, False), c.code: (None, True)}


def test_csv_and_json_per_month(client, db):
    from datetime import date

    from bkklib.network.tests.factories import BranchFactory
    from bkklib.reports.models import MonthlyFigure

    branch = BranchFactory(name_th="ห้องสมุดทดสอบเปิดข้อมูล")
    for month, value in ((date(2026, 10, 1), 120), (date(2026, 11, 1), 95)):
        MonthlyFigure.objects.create(indicator="circulation.loans", month=month, fiscal_year=2570, branch=branch,
                                     value=value)
    text = client.get("/open-data/circulation.loans.csv?month=2026-11").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [{"indicator": "circulation.loans", "month": "2026-11", "fiscal_year": "2570",
                     "branch_code": branch.code, "branch_name": "ห้องสมุดทดสอบเปิดข้อมูล", "branch_kind": "public_library",
                     "district_code": "1001", "value": "95", "suppressed": "false"}]
    body = client.get("/open-data/circulation.loans.json").json()
    assert [r["value"] for r in body["rows"]] == [120, 95] and body["suppression"] == {"min_published": 5}
    assert "card" not in text and "patron" not in str(body)
    assert client.get("/open-data/circulation.loans_by_kind.csv").status_code == 404
    assert client.get("/open-data/circulation.loans.xml").status_code == 404
