"""Staff pages: fill an audit item with a photo, complete it, raise a work from the gaps, move the work,
the tree map from shipped boundaries, the report as page, XLSX and PDF; branch scoping."""
import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from bkklib.core import roles
from bkklib.facilities import services
from bkklib.facilities.models import Audit, AuditAnswer, TreeSite, Work
from bkklib.network.tests.factories import staff_user

from .conftest import jpeg_bytes
from .factories import TreeSiteFactory, species
from .test_audit_scoring import EXAMPLE, fill


def test_staff_answer_an_item_with_a_photo_from_the_audit_page(site, client):
    client.force_login(site.librarian)
    response = client.post(f"/staff/facilities/buildings/{site.building.pk}/audit/")
    audit = Audit.objects.get()
    assert response.url == f"/staff/facilities/audits/{audit.pk}/"
    ramp = site.checklist.items.get(code="ramp")
    page = client.get(response.url)
    assert page.status_code == 200 and 'capture="environment"' in page.content.decode()
    response = client.post(f"/staff/facilities/audits/{audit.pk}/items/{ramp.pk}/", {
        f"i{ramp.pk}-result": "no", f"i{ramp.pk}-measured_value": "8", f"i{ramp.pk}-note": "ชันเกินไป",
        f"i{ramp.pk}-photo": SimpleUploadedFile("ramp.jpg", jpeg_bytes(gps=True), content_type="image/jpeg")})
    assert response.status_code == 302 and response.url.endswith("#item-lift")
    answer = AuditAnswer.objects.get()
    assert answer.measured_value == Decimal("8") and answer.photo_latitude is not None


def test_a_non_image_is_refused_on_the_page_with_its_name(site, client):
    client.force_login(site.librarian)
    audit = services.start_audit(building=site.building, by=site.librarian)
    ramp = site.checklist.items.get(code="ramp")
    page = client.post(f"/staff/facilities/audits/{audit.pk}/items/{ramp.pk}/", {
        f"i{ramp.pk}-result": "no",
        f"i{ramp.pk}-photo": SimpleUploadedFile("scan.jpg", b"not a photo", content_type="image/jpeg")})
    assert page.status_code == 400 and "scan.jpg" in page.content.decode()
    assert not AuditAnswer.objects.exists()


def test_complete_then_raise_a_work_from_two_gaps(site, client):
    client.force_login(site.librarian)
    audit = services.start_audit(building=site.building, by=site.librarian)
    fill(audit, site.librarian, EXAMPLE)
    response = client.post(f"/staff/facilities/audits/{audit.pk}/complete/")
    assert response.url.endswith("#gaps")
    page = client.get(f"/staff/facilities/audits/{audit.pk}/").content.decode()
    assert "54.5%" in page and "ทางลาด" in page
    gaps = list(audit.answers.filter(item__code__in=["ramp", "toilet"]).values_list("pk", flat=True))
    response = client.post(f"/staff/facilities/audits/{audit.pk}/raise-work/", {"gaps": gaps})
    work = Work.objects.get()
    assert response.url == f"/staff/facilities/works/{work.pk}/"
    assert set(work.gaps.values_list("pk", flat=True)) == set(gaps) and work.building == site.building
    assert "ทางลาด" in work.title


def test_a_network_admin_budgets_a_work_and_a_missing_amount_is_explained(site, client):
    work = services.propose_work(branch=site.branch, title="ราวจับ", by=site.librarian)
    client.force_login(site.admin)
    client.post(f"/staff/facilities/works/{work.pk}/", {"part": "transition", "t-to": "approved"})
    page = client.post(f"/staff/facilities/works/{work.pk}/", {"part": "transition", "t-to": "budgeted",
                                                              "t-fiscal_year": "2569"})
    assert "งบประมาณ" in page.content.decode()
    work.refresh_from_db()
    assert work.status == "approved"
    client.post(f"/staff/facilities/works/{work.pk}/", {"part": "transition", "t-to": "budgeted",
                                                       "t-fiscal_year": "2569", "t-budget": "45000"})
    work.refresh_from_db()
    assert (work.status, work.fiscal_year, work.budget) == ("budgeted", 2569, Decimal("45000.00"))


def test_another_branch_sees_neither_the_building_nor_the_audit(site, client):
    audit = services.start_audit(building=site.building, by=site.librarian)
    client.force_login(staff_user(roles.BRANCH_LIBRARIAN, site.other_branch))
    assert client.get(f"/staff/facilities/buildings/{site.building.pk}/").status_code == 404
    assert client.get(f"/staff/facilities/audits/{audit.pk}/").status_code == 404


def test_the_tree_map_is_drawn_from_the_shipped_boundaries(site, client, django_assert_max_num_queries):
    tree_site = TreeSiteFactory(branch=site.branch, name_th="สนามหน้าห้องสมุด")
    planting = services.plan_planting(site=tree_site, species=species(), planned=20, by=site.librarian)
    services.record_planting(planting=planting, planted=20, planted_on=date(2025, 6, 1), by=site.librarian)
    client.force_login(site.librarian)
    with django_assert_max_num_queries(25):
        page = client.get("/staff/facilities/trees/").content.decode()
    assert "<svg" in page and "geo-point" in page and "CC BY-IGO 3.0" in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")
    assert "สนามหน้าห้องสมุด" in page and "พระนคร" in page


def test_a_site_added_on_the_page_gets_its_district(site, client):
    client.force_login(site.librarian)
    response = client.post("/staff/facilities/trees/sites/new/", {
        "branch": site.branch.pk, "name_th": "ผนังเขียว", "kind": "wall", "latitude": "13.7563",
        "longitude": "100.5018", "area_m2": "24", "soil": "container", "sun": "part", "surveyed_on": "2025-06-02"})
    assert response.status_code == 302
    assert TreeSite.objects.get().district_code == "1001"


def test_the_report_as_page_xlsx_and_pdf(site, client):
    audit = services.start_audit(building=site.building, by=site.librarian)
    fill(audit, site.librarian, EXAMPLE)
    services.complete_audit(audit_row=audit, by=site.librarian)
    client.force_login(site.admin)
    page = client.get("/staff/facilities/reports/").content.decode()
    assert "54.5%" in page and "ทางเข้าอาคาร" in page
    xlsx = client.get("/staff/facilities/reports/?format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    ud = book.worksheets[0]
    values = [c.value for row in ud.iter_rows() for c in row]
    assert 54.5 in values and "อาคารห้องสมุด" in values
    pdf = client.get("/staff/facilities/reports/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
