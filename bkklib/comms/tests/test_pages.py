"""Staff pages: calendar, writing, drafting from an activity, review by a second user, report, channels."""
from datetime import timedelta

import pytest
from django.utils import timezone

from bkklib.comms.models import Channel, Post
from bkklib.events.models import Activity, Session

from .factories import scheduled, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(team):
    activity = Activity.objects.create(title="เล่านิทานวันเสาร์", description="นิทานภาพสำหรับเด็กเล็ก",
                                       branch=team.branch, status=Activity.Status.PUBLISHED, audience="เด็ก 4–8 ปี")
    start = timezone.now() + timedelta(days=3)
    Session.objects.create(activity=activity, starts_at=start, ends_at=start + timedelta(hours=1))
    return activity


def test_drafting_from_an_activity_and_a_second_user_approving(client, team, channels, activity):
    client.force_login(team.author)
    page = client.get("/staff/comms/drafts/")
    assert page.status_code == 200 and "เล่านิทานวันเสาร์" in page.content.decode()
    response = client.post("/staff/comms/drafts/", {"source": "activity", "source_id": activity.pk})
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/comms/posts/{post.pk}/"
    assert post.source == "activity" and post.branch == team.branch and post.status == "draft"
    assert f"/events/{activity.pk}/" in post.link
    assert "#ห้องสมุด" not in post.text and "กิจกรรมห้องสมุด" in post.hashtags and "สนส" in post.hashtags
    assert post.variants.count() == 4
    assert "นิทานภาพสำหรับเด็กเล็ก" in post.text and "สถานที่: " + team.branch.name_th in post.text
    client.post(f"/staff/comms/posts/{post.pk}/", {"action": "submit"})
    refused = client.post(f"/staff/comms/posts/{post.pk}/", {"action": "approve"}, follow=True)
    assert "คุณไม่มีสิทธิ์อนุมัติโพสต์" in refused.content.decode()
    client.force_login(team.reviewer)
    assert "เล่านิทานวันเสาร์" in client.get("/staff/comms/review/").content.decode()
    at = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/staff/comms/posts/{post.pk}/", {"action": "approve", "publish_at": at})
    post.refresh_from_db()
    assert post.status == "scheduled" and post.approved_by == team.reviewer
    month = timezone.localtime(post.publish_at).strftime("%Y-%m")
    calendar = client.get(f"/staff/comms/?month={month}").content.decode()
    assert "เล่านิทานวันเสาร์" in calendar
    week = client.get(f"/staff/comms/?view=week&day={timezone.localtime(post.publish_at).date()}").content.decode()
    assert "เล่านิทานวันเสาร์" in week


def test_the_post_form_refuses_an_over_long_x_text_in_thai_next_to_the_field(client, team, channels):
    client.force_login(team.author)
    data = {"title": "ทดสอบ", "text": "ข้อความ", "hashtags": "ห้องสมุด", "branch": team.branch.pk,
            "channels": [channels["x"].pk], f"variant_{channels['x'].pk}": "ก" * 281}
    page = client.post("/staff/comms/posts/new/", data)
    assert page.status_code == 200
    assert "ยาว 281 ตัวอักษร บัญชี X รับได้ไม่เกิน 280 ตัวอักษร" in page.content.decode()
    assert not Post.objects.exists()
    data[f"variant_{channels['x'].pk}"] = "ก" * 200
    assert client.post("/staff/comms/posts/new/", data).status_code == 302


def test_the_report_page_and_its_xlsx(client, team, channels, api):
    from .test_publishing import AT, LATER, script_success

    script_success(api)
    scheduled(team, [channels["facebook"]], at=AT, now=AT - timedelta(hours=1))
    from bkklib.comms import services

    services.publish_due(now=LATER)
    client.force_login(team.reviewer)
    month = timezone.localtime(AT).strftime("%Y-%m")
    page = client.get(f"/staff/comms/report/?month={month}")
    assert page.status_code == 200 and "facebook บางเขน" in page.content.decode()
    xlsx = client.get(f"/staff/comms/report/?month={month}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    post = Post.objects.get()
    detail = client.get(f"/staff/comms/posts/{post.pk}/").content.decode()
    assert "1122334455_987654321" in detail and "เผยแพร่ครบทุกช่องทาง" in detail


def test_a_channel_token_is_write_only(client, team):
    client.force_login(team.admin)
    response = client.post("/staff/comms/channels/new/", {"kind": "line", "name": "LINE สนส", "token": "secret-LINE-1",
                                                          "is_active": "on"})
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.token == "secret-LINE-1"
    page = client.get(f"/staff/comms/channels/{channel.pk}/").content.decode()
    assert "secret-LINE-1" not in page and channel.credentials_encrypted not in page
    client.post(f"/staff/comms/channels/{channel.pk}/", {"kind": "line", "name": "LINE สนส", "token": "",
                                                         "is_active": "on"})
    channel.refresh_from_db()
    assert channel.token == "secret-LINE-1"  # empty keeps the stored token
    assert "secret-LINE-1" not in client.get("/staff/comms/channels/").content.decode()


def test_branch_staff_cannot_open_the_review_page_or_channels_setup(client, team, channels):
    client.force_login(team.author)
    assert client.get("/staff/comms/review/").status_code == 403
    assert client.get("/staff/comms/channels/new/").status_code == 403
    write(team, channels.values())
    assert client.get("/staff/comms/").status_code == 200
