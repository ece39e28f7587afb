"""The demo data: deterministic, idempotent, labelled, and consistent with the constraints."""
from bkklib.facilities import demo
from bkklib.facilities.models import Audit, Building, TreeSite, Work
from bkklib.network.tests.factories import BranchFactory


def test_demo_runs_twice_and_labels_everything(db):
    for n in range(4):
        BranchFactory(code=f"demo{n}", is_demo=True, latitude="13.756300", longitude="100.501800")
    demo.run()
    counts = (Building.objects.count(), Audit.objects.count(), Work.objects.count(), TreeSite.objects.count())
    demo.run()
    assert (Building.objects.count(), Audit.objects.count(), Work.objects.count(),
            TreeSite.objects.count()) == counts
    assert counts[0] == 4 and counts[1] == 5 and counts[3] >= 4
    assert all("ข้อมูลสาธิต" in b.name_th and b.is_demo for b in Building.objects.all())
    assert Audit.objects.filter(previous__isnull=False).count() == 1
