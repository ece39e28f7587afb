"""The facilities API: audit scores and gaps, answering with a photo, work steps, the tree roll-up."""
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from bkklib.core import roles
from bkklib.facilities import services
from bkklib.network.tests.factories import staff_user

from .conftest import jpeg_bytes
from .factories import TreeSiteFactory, species
from .test_audit_scoring import EXAMPLE, fill


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_audit_shows_its_scores_gaps_and_answers(site):
    audit = services.start_audit(building=site.building, by=site.librarian)
    fill(audit, site.librarian, EXAMPLE)
    services.complete_audit(audit_row=audit, by=site.librarian)
    body = api(site.librarian).get(f"/api/v1/facilities/audits/{audit.pk}/").json()
    assert body["score"] == {"compliant": 6, "not_compliant": 5, "not_applicable": 3, "score": "54.5"}
    assert body["categories"]["circulation"]["score"] == "40.0"
    assert body["gaps"] == ["entrance", "ramp", "toilet", "handrails", "tactile"]
    assert body["comparison"] is None and len(body["answers"]) == 14
    buildings = api(site.librarian).get("/api/v1/facilities/buildings/").json()
    assert buildings["results"][0]["ud_score"] == 54.5


def test_answer_with_a_photo_and_a_refused_non_image(site):
    audit = services.start_audit(building=site.building, by=site.librarian)
    client = api(site.librarian)
    ok = client.post(f"/api/v1/facilities/audits/{audit.pk}/answers/", {
        "item": "doors", "result": "no", "measured_value": "75",
        "photo": SimpleUploadedFile("door.jpg", jpeg_bytes(gps=True), content_type="image/jpeg")}, format="multipart")
    assert ok.status_code == 201 and ok.json()["photo_latitude"] == 13.76
    bad = client.post(f"/api/v1/facilities/audits/{audit.pk}/answers/", {
        "item": "ramp", "result": "no", "photo": SimpleUploadedFile("x.jpg", b"nope")}, format="multipart",
        HTTP_ACCEPT_LANGUAGE="th")
    assert bad.status_code == 400 and bad.json()["code"] == "photo_refused" and "x.jpg" in bad.json()["detail"]


def test_work_steps_through_the_api_with_problem_codes(site):
    work = services.propose_work(branch=site.branch, title="ทางลาด", by=site.librarian)
    admin = api(site.admin)
    assert admin.post(f"/api/v1/facilities/works/{work.pk}/transition/", {"to": "approved"}).status_code == 200
    refused = admin.post(f"/api/v1/facilities/works/{work.pk}/transition/", {"to": "budgeted", "fiscal_year": 2569})
    assert refused.status_code == 422 and refused.json()["code"] == "missing"
    done = admin.post(f"/api/v1/facilities/works/{work.pk}/transition/",
                      {"to": "budgeted", "fiscal_year": 2569, "budget": "90000"})
    assert done.json()["status"] == "budgeted" and done.json()["next_states"] == ["procured", "cancelled"]
    listed = admin.get("/api/v1/facilities/works/?fiscal_year=2569&status=budgeted").json()
    assert [w["id"] for w in listed["results"]] == [work.pk]
    assert admin.get("/api/v1/facilities/works/?fiscal_year=1999").status_code == 400


def test_the_tree_roll_up_and_branch_scope(site):
    tree_site = TreeSiteFactory(branch=site.branch)
    planting = services.plan_planting(site=tree_site, species=species(), planned=10, by=site.librarian)
    services.record_planting(planting=planting, planted=10, planted_on=date(2025, 6, 1), by=site.librarian)
    body = api(site.librarian).get("/api/v1/facilities/trees/districts/").json()
    assert body["districts"][0]["code"] == "1001" and body["network"]["surviving"] == 10
    assert Decimal(body["share_of_target"]) == Decimal("0.00")
    stranger = staff_user(roles.BRANCH_LIBRARIAN, site.other_branch)
    assert api(stranger).get("/api/v1/facilities/tree-sites/").json()["count"] == 0
    assert api(stranger).get("/api/v1/facilities/buildings/").json()["count"] == 0
