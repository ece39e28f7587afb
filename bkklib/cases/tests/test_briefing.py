"""The briefing pack of a field visit: a Thai PDF whose extracted text is the branch's name and its
figures at that moment."""
import subprocess
from datetime import date

from django.urls import reverse

from bkklib.cases.models import Visit
from bkklib.catalog.tests.factories import ItemFactory

from .conftest import complaint


def flat_text(pdf: bytes) -> str:
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    # pdftotext reads a gap after a mark drawn left of its advance as a space (as in catalog's label tests).
    # and SARA AM as NIKHAHIT + SARA AA (the glyph's decomposition).
    return text.replace(" ", "").replace("\n", "").replace("\u0e4d\u0e32", "\u0e33")


def test_the_briefing_pack_prints_the_branchs_live_data_in_thai(site, client):
    for _ in range(3):
        ItemFactory(branch=site.branch)
    case = complaint(site, now=None, title="ไฟส่องสว่างชำรุด")
    visit = Visit.objects.create(visited_on=date.today(), title="ผู้ว่าฯ ลงพื้นที่เขตบางเขน", visitors="ผู้ว่าราชการ")
    visit.branches.set([site.branch])
    client.force_login(site.admin)
    response = client.get(reverse("cases:staff-briefing", args=[visit.pk, site.branch.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = flat_text(response.content)
    assert "ห้องสมุดเพื่อการเรียนรู้บางเขน" in text
    assert "ตัวเล่ม3" in text  # the collection section: label, then value
    assert "บุคลากรประจำ2" in text  # the admin and the librarian are assigned to it
    assert case.code in text and "ไฟส่องสว่างชำรุด" in text
    # A figure changes: the next pack prints the new number.
    ItemFactory(branch=site.branch)
    text = flat_text(client.get(reverse("cases:staff-briefing", args=[visit.pk, site.branch.pk])).content)
    assert "ตัวเล่ม4" in text
