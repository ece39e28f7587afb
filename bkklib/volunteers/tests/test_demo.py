"""The demo data: deterministic, idempotent, labelled."""
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory
from bkklib.volunteers import demo, queries
from bkklib.volunteers.models import Application, Volunteer


def test_demo_runs_twice_and_gives_volunteers_with_hours(db):
    for n in range(2):
        BranchFactory(code=f"demo{n}", is_demo=True, status=Branch.Status.OPEN)
    demo.run(scale=1.0)
    count = Application.objects.count()
    demo.run(scale=1.0)
    assert Application.objects.count() == count > 0
    volunteer = Volunteer.objects.filter(is_demo=True).first()
    assert "(ข้อมูลสาธิต)" in volunteer.last_name and queries.total_hours(volunteer) == 12
