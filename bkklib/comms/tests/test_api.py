"""The comms API: posts, steps, drafts and the report; refusals are problem JSON in Thai; tokens never shown."""
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from bkklib.comms.models import Post

from .conftest import NOON

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="th")
    return client


def test_write_submit_and_approve_through_the_api(team, channels):
    author, reviewer = api_for(team.author), api_for(team.reviewer)
    body = {"title": "ชวนอ่านหนังสือใหม่", "text": "หนังสือใหม่เดือนนี้", "hashtags": "หนังสือใหม่ ห้องสมุด",
            "branch": team.branch.code, "variants": [{"channel": channels["facebook"].pk},
                                                     {"channel": channels["x"].pk, "text": "หนังสือใหม่มาแล้ว"}]}
    created = author.post("/api/v1/comms/posts/", body, format="json")
    assert created.status_code == 201, created.json()
    post = created.json()
    assert post["status"] == "draft" and post["hashtags"] == ["หนังสือใหม่", "ห้องสมุด"]
    assert {v["channel_kind"]: v["text_sent"] for v in post["variants"]}["x"] == "หนังสือใหม่มาแล้ว"
    assert author.post(f"/api/v1/comms/posts/{post['id']}/submit/", {}, format="json").status_code == 200
    own = api_for(team.reviewer)
    refused = author.post(f"/api/v1/comms/posts/{post['id']}/approve/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "no_permission"
    at = (NOON + timedelta(days=1)).isoformat()
    approved = reviewer.post(f"/api/v1/comms/posts/{post['id']}/approve/", {"publish_at": at}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "scheduled"
    assert approved.json()["approved_by"] == "reviewer"
    listed = own.get("/api/v1/comms/posts/", {"status": "scheduled"}).json()
    assert listed["count"] == 1


def test_an_author_approving_their_own_post_gets_problem_json_in_thai(team, channels):
    reviewer = api_for(team.reviewer)
    body = {"title": "ประกาศ", "text": "ปิดปรับปรุง", "branch": team.branch.code,
            "variants": [{"channel": channels["line"].pk}]}
    post = reviewer.post("/api/v1/comms/posts/", body, format="json").json()
    reviewer.post(f"/api/v1/comms/posts/{post['id']}/submit/", {}, format="json")
    refused = reviewer.post(f"/api/v1/comms/posts/{post['id']}/approve/", {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "own_post"
    assert refused.json()["title"] == "คุณเป็นผู้เขียน “ประกาศ” ต้องให้ผู้อื่นตรวจและอนุมัติ"


def test_an_over_long_variant_is_refused_with_the_field_and_nothing_is_stored(team, channels):
    body = {"title": "ยาว", "text": "ข้อความ", "branch": team.branch.code,
            "variants": [{"channel": channels["x"].pk, "text": "ก" * 300}]}
    refused = api_for(team.author).post("/api/v1/comms/posts/", body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "too_long"
    assert refused.json()["field"] == f"variant_{channels['x'].pk}" and "280" in refused.json()["title"]
    assert not Post.objects.exists()


def test_channels_never_carry_a_token_and_need_a_role(team, channels, client):
    answer = api_for(team.author).get("/api/v1/comms/channels/")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "tok-secret-123" not in text and "credentials" not in text and '"has_token":true' in text
    assert APIClient().get("/api/v1/comms/channels/").status_code in (401, 403)


def test_report_endpoint(team, channels):
    answer = api_for(team.reviewer).get("/api/v1/comms/report/", {"month": "2026-12"})
    assert answer.status_code == 200 and answer.json()["total_posts"] == 0
    assert api_for(team.reviewer).get("/api/v1/comms/report/", {"month": "12/2026"}).status_code == 400


def test_the_schema_lists_the_comms_endpoints(client):
    schema = client.get("/api/schema/?format=json")
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else None
    text = schema.content.decode()
    assert "/api/v1/comms/posts/" in text and "/api/v1/comms/posts/{id}/approve/" in text
    assert paths is None or "/api/v1/comms/drafts/" in paths
