"""Comms in a real browser: an author drafts a post from a demo activity with one click and sends it for
review; a second user approves it with a time; the post is on the content calendar; at its time the
publishing task sends it (the website's news and a fake Facebook page) and the news page shows it.
axe-core on every page; desktop and phone screenshots."""
from datetime import timedelta

import pytest

from bkklib.opac import clock

from .world import build_network, staff_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def fake_facebook():
    from bkklib.comms.tests.fakes import FakeApi

    api = FakeApi().start()
    api.answer("POST", "/20531316728/feed", 200, {"id": "20531316728_10150000001"})
    yield api
    api.stop()


@pytest.fixture
def world(site_data, fake_facebook):
    from django.utils import timezone

    from bkklib.comms.models import Channel
    from bkklib.core import roles
    from bkklib.events.models import Activity, Session
    from bkklib.network.tests.factories import staff_user

    net = build_network()
    city = net["city"]
    activity = Activity.objects.create(
        title="เปิดโลกนิทาน: ปั้นดินกับปู่ย่า (ข้อมูลสาธิต)", description="เล่านิทานภาพและปั้นดินน้ำมันสำหรับเด็กและครอบครัว",
        branch=city, audience="เด็กและครอบครัว", status=Activity.Status.PUBLISHED, is_demo=True)
    start = timezone.localtime() + timedelta(days=4)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    Session.objects.create(activity=activity, starts_at=start, ends_at=start + timedelta(hours=2))
    Channel.objects.create(kind="website", name="ข่าวบนเว็บไซต์ห้องสมุด")
    facebook = Channel(kind="facebook", name="เพจหอสมุดเมืองกรุงเทพมหานคร", branch=city, account_id="20531316728",
                       base_url=fake_facebook.url)
    facebook.set_token("EAAG-page-token-demo")
    facebook.save()
    return {"activity": activity, "city": city,
            "author": staff_user(roles.BRANCH_STAFF, city, username="writer"),
            "reviewer": staff_user(roles.BRANCH_LIBRARIAN, city, username="editor")}


def test_draft_from_an_activity_review_by_a_second_user_calendar_and_news(live_server, browser, world, axe, shoot,
                                                                          fake_facebook, monkeypatch):
    from django.utils import timezone

    from bkklib.comms import services
    from bkklib.comms.models import Post

    base = live_server.url
    title = world["activity"].title
    writer = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok").new_page()
    staff_log_in(writer, base, "writer")
    writer.goto(f"{base}/staff/comms/drafts/")
    axe(writer, label="draft sources")
    shoot(writer, "comms-drafts")
    writer.get_by_role("button", name=f"ร่างโพสต์จาก {title}").click()
    writer.wait_for_url("**/staff/comms/posts/*/")
    assert "ร่างโพสต์พร้อมแล้ว" in writer.inner_text("main")
    assert "#ห้องสมุด" in writer.inner_text("main") and "สถานที่: หอสมุดเมืองกรุงเทพมหานคร" in writer.inner_text("main")
    axe(writer, label="draft post")
    shoot(writer, "comms-post-draft")
    writer.get_by_role("button", name="ส่งตรวจ").click()
    writer.wait_for_load_state()
    assert "รอผู้อื่นตรวจและอนุมัติ" in writer.inner_text("main")
    assert writer.get_by_role("button", name="อนุมัติ").count() == 0  # the author cannot approve

    editor = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok").new_page()
    staff_log_in(editor, base, "editor")
    editor.goto(f"{base}/staff/comms/review/")
    axe(editor, label="review list")
    editor.get_by_role("link", name=title).click()
    editor.wait_for_url("**/staff/comms/posts/*/")
    at = (timezone.localtime() + timedelta(hours=1)).replace(second=0, microsecond=0)
    editor.get_by_label("เวลาเผยแพร่").fill(at.strftime("%Y-%m-%dT%H:%M"))
    editor.get_by_role("button", name="อนุมัติ").click()
    editor.wait_for_load_state()
    assert "ผู้อนุมัติ" in editor.inner_text("main")
    post = Post.objects.get()
    assert post.status == "scheduled" and post.approved_by.username == "editor" and post.author.username == "writer"
    shoot(editor, "comms-post-scheduled")

    editor.goto(f"{base}/staff/comms/")
    assert title in editor.inner_text("table.cal")
    axe(editor, label="calendar month")
    shoot(editor, "comms-calendar")
    editor.goto(f"{base}/staff/comms/?view=week&day={at.date().isoformat()}")
    assert title in editor.inner_text("table.cal")
    shoot(editor, "comms-calendar-week")

    # Before its time the news page does not show it; the publishing task (huey, every minute) sends it at its time.
    assert services.publish_due(now=at - timedelta(minutes=1)) == {}
    public = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok", viewport={"width": 390, "height": 844},
                                 is_mobile=True).new_page()
    monkeypatch.setattr(clock, "now", lambda: at - timedelta(minutes=1))
    public.goto(f"{base}/news/")
    assert title not in public.inner_text("main")
    assert services.publish_due(now=at + timedelta(seconds=20)) == {"published": 2}
    monkeypatch.setattr(clock, "now", lambda: at + timedelta(minutes=1))
    public.goto(f"{base}/news/")
    assert title in public.inner_text("main")
    axe(public, label="news list with the post")
    shoot(public, "comms-news")
    sent = fake_facebook.requests[0]
    assert sent.headers["authorization"] == "Bearer EAAG-page-token-demo" and "เล่านิทานภาพ" in sent.form["message"]

    editor.goto(f"{base}/staff/comms/posts/{post.pk}/")
    assert editor.inner_text("main").count("เผยแพร่แล้ว") >= 2
    axe(editor, label="published post")
    shoot(editor, "comms-post-published")
    editor.goto(f"{base}/staff/comms/report/?month={at:%Y-%m}")
    assert "เพจหอสมุดเมืองกรุงเทพมหานคร" in editor.inner_text("main")
    axe(editor, label="report")
    shoot(editor, "comms-report")
