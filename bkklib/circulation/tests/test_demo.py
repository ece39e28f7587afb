"""The demo data: patrons across categories and branches, loans, holds and fines; idempotent."""
from io import StringIO

import pytest

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import demo, queries
from bkklib.circulation.models import Fine, Hold, Loan, Patron
from bkklib.network.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_demo_data_fills_every_desk_screen_and_runs_once():
    branches = [BranchFactory(is_demo=True) for _ in range(3)]
    for n in range(60):
        ItemFactory(branch=branches[n % 3])
    from bkklib.catalog.models import Item

    Item.objects.update(is_demo=True)
    out = StringIO()
    demo.run(stdout=out, scale=0.02)  # 100 patrons
    patrons = Patron.objects.filter(is_demo=True)
    assert patrons.count() == 100
    assert patrons.values("category").distinct().count() >= 4
    assert patrons.values("home_branch").distinct().count() == 3
    assert Loan.objects.filter(returned_at__isnull=True).exists() and Hold.objects.exists() and Fine.objects.exists()
    first = queries.patron_by_card(demo.demo_card(1))
    assert queries.loans_of(first).count() >= 3 and queries.fines_due(first) > 0
    assert all("(ข้อมูลสาธิต)" in p.last_name_th for p in patrons[:20])
    children = patrons.filter(category__code="child")
    assert all(c.guardian_id for c in children)
    demo.run(stdout=out, scale=0.02)
    assert Patron.objects.filter(is_demo=True).count() == 100
    assert "already there" in out.getvalue()
