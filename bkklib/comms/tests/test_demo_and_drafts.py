"""Demo data (deterministic, idempotent, labelled) and drafts from each kind of source."""
from datetime import date, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from bkklib.comms import demo, drafts
from bkklib.comms.models import Channel, Post, Reach
from bkklib.core import roles
from bkklib.core.exceptions import NotFound
from bkklib.network.tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_the_demo_is_labelled_idempotent_and_never_points_at_the_real_services(team):
    staff_user(roles.BRANCH_STAFF, team.branch, username="staff")
    staff_user(roles.BRANCH_LIBRARIAN, team.branch, username="librarian")
    demo.run()
    counts = (Channel.objects.count(), Post.objects.count(), Reach.objects.count())
    demo.run()
    assert (Channel.objects.count(), Post.objects.count(), Reach.objects.count()) == counts
    assert counts[1] >= 20 and counts[2] > 0
    assert all("(ข้อมูลสาธิต)" in p.title or p.source for p in Post.objects.all())
    assert all(c.base_url == demo.NOWHERE for c in Channel.objects.exclude(kind="website"))
    assert Post.objects.filter(status="failed").exists() and Post.objects.filter(status="review").exists()
    assert not Post.objects.filter(approved_by=F("author")).exists()


def test_a_draft_from_a_news_post_keeps_its_hashtags_and_adds_the_standard_ones(team, channels):
    from bkklib.opac.models import NewsPost

    news = NewsPost.objects.create(slug="storytime", title_th="นิทานวันเสาร์", body_th="ฟังนิทานกัน",
                                   hashtags="นิทาน", status="published", publish_at=timezone.now())
    post = drafts.create_draft(source="news", source_id=news.pk, by=team.admin)
    assert post.hashtags.split()[:2] == ["นิทาน", "ห้องสมุด"] and post.link.endswith("/news/storytime/")
    assert post.branch is None and post.source == "news"


def test_a_draft_from_a_festival_lists_its_activities(team, channels):
    from bkklib.events.models import Activity, Festival

    today = timezone.localdate()
    festival = Festival.objects.create(year=today.year, month=today.month, name_th="เทศกาลนิทาน",
                                       starts_on=today, ends_on=today + timedelta(days=20), theme="นิทานทั้งเมือง")
    Activity.objects.create(title="ละครหุ่นเงา", branch=team.branch, festival=festival, status="published")
    post = drafts.create_draft(source="festival", source_id=festival.pk, by=team.admin)
    assert "ละครหุ่นเงา" in post.text and post.title == "เทศกาลนิทาน"


def test_new_books_of_a_month_without_books_is_refused(team, channels):
    with pytest.raises(NotFound):
        drafts.create_draft(source="new_books", source_id="2020-01", by=team.admin)
    assert drafts.month_name(date(2026, 12, 1)) == "ธันวาคม 2569"


def test_a_long_draft_gets_a_short_x_variant_so_it_can_be_sent_for_review(team, channels):
    from bkklib.comms import services
    from bkklib.opac.models import NewsPost

    news = NewsPost.objects.create(slug="long", title_th="ข่าวยาว", body_th="ก" * 900, status="published",
                                   publish_at=timezone.now(), branch=team.branch)
    post = drafts.create_draft(source="news", source_id=news.pk, by=team.author)
    x = post.variants.get(channel__kind="x")
    assert x.text and len(x.text) < 280
    services.act(post=post, action="submit", by=team.author)
