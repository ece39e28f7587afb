"""News: drafts stay hidden, scheduled posts appear on time, home page and feeds, staff pages."""
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from bkklib.core import roles
from bkklib.core.exceptions import Conflict, InvalidInput
from bkklib.network.tests.factories import UserFactory, staff_user
from bkklib.opac import services
from bkklib.opac.models import NewsPost
from bkklib.opac.roles import PR_EDITOR

from .conftest import BKK, WED_10AM

pytestmark = pytest.mark.django_db


def make_post(**fields) -> NewsPost:
    defaults = {"slug": "storytelling", "title_th": "เปิดโลกนิทาน", "body_th": "ชวนน้อง ๆ ฟังนิทานทุกวันเสาร์\n\nฟรี",
                "hashtags": "เปิดโลกนิทาน ห้องสมุด"}
    return NewsPost.objects.create(**{**defaults, **fields})


@pytest.fixture
def editor(db):
    roles.sync_roles()
    user = UserFactory(username="pr")
    user.groups.add(roles.group_for(PR_EDITOR))
    return user


def test_a_draft_is_not_on_the_site(client, fixed_now):
    fixed_now(WED_10AM)
    make_post()
    assert client.get("/news/storytelling/").status_code == 404
    assert "เปิดโลกนิทาน" not in client.get("/news/").content.decode()


def test_a_published_post_shows_on_home_news_list_detail_and_feeds(client, fixed_now):
    fixed_now(WED_10AM)
    post = services.publish(make_post(), now=WED_10AM - timedelta(hours=1))
    home = client.get("/").content.decode()
    assert "เปิดโลกนิทาน" in home and post.get_absolute_url() in home
    detail = client.get("/news/storytelling/")
    assert detail.status_code == 200
    assert '<meta property="og:type" content="article">' in detail.content.decode()
    rss = client.get("/news/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "เปิดโลกนิทาน" in rss.content.decode() and "<category>ห้องสมุด</category>" in rss.content.decode()
    atom = client.get("/news/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml") and "เปิดโลกนิทาน" in atom.content.decode()


def test_a_scheduled_post_appears_only_from_its_moment(client, fixed_now):
    fixed_now(WED_10AM)
    services.publish(make_post(), at=WED_10AM + timedelta(days=1), now=WED_10AM)
    assert client.get("/news/storytelling/").status_code == 404
    assert "เปิดโลกนิทาน" not in client.get("/news/feed/").content.decode()
    fixed_now(WED_10AM + timedelta(days=1, minutes=1))
    assert client.get("/news/storytelling/").status_code == 200


def test_news_filter_by_a_whole_hashtag(client, fixed_now):
    fixed_now(WED_10AM)
    services.publish(make_post(), now=WED_10AM)
    services.publish(make_post(slug="other", title_th="ข่าวอื่น", hashtags="ห้องสมุดเคลื่อนที่"), now=WED_10AM)
    page = client.get("/news/", {"tag": "#ห้องสมุด"})
    assert [p.slug for p in page.context["page"]] == ["storytelling"]


def test_publishing_needs_thai_text_and_changes_nothing_when_refused():
    post = make_post(body_th=" ")
    with pytest.raises(InvalidInput) as exc:
        services.publish(post)
    assert exc.value.code == "news_missing_thai"
    post.refresh_from_db()
    assert post.status == NewsPost.Status.DRAFT and post.publish_at is None


def test_unpublishing_a_draft_is_a_conflict():
    with pytest.raises(Conflict):
        services.unpublish(make_post())


def test_a_published_post_needs_a_date_in_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_post(status=NewsPost.Status.PUBLISHED, publish_at=None)


def test_slugs_are_ascii_and_unique():
    when = datetime(2025, 6, 4, 10, tzinfo=BKK)
    make_post(slug="news-20250604")
    assert services.unique_slug("", when=when) == "news-20250604-2"
    assert services.unique_slug("Bangkok Book Festival 2025!", when=when) == "bangkok-book-festival-2025"


def test_staff_write_preview_publish_and_export_a_post(client, editor, fixed_now):
    client.force_login(editor)
    response = client.post(reverse("opac:staff-news-create"), {
        "title_th": "งานสัปดาห์หนังสือ", "body_th": "พบกันที่หอสมุดเมือง", "title_en": "Book week",
        "body_en": "See you at the City Library", "hashtags": "#สัปดาห์หนังสือ #BookWeek", "slug": "",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "12",
    })
    post = NewsPost.objects.get()
    assert response.status_code == 302 and post.slug == "book-week" and post.hashtags == "สัปดาห์หนังสือ BookWeek"
    assert post.status == NewsPost.Status.DRAFT and post.author == editor
    preview = client.get(reverse("opac:staff-news-preview", args=[post.pk]))
    assert preview.status_code == 200 and "งานสัปดาห์หนังสือ" in preview.content.decode()
    detail = client.get(reverse("opac:staff-news-detail", args=[post.pk])).content.decode()
    assert "#สัปดาห์หนังสือ #BookWeek" in detail and "http://127.0.0.1:8000/news/book-week/" in detail
    client.post(reverse("opac:staff-news-publish", args=[post.pk]), {"publish_at": ""})
    post.refresh_from_db()
    assert post.status == NewsPost.Status.PUBLISHED and post.is_visible()
    assert post.history.count() >= 2  # audited


def test_a_bad_hashtag_is_reported_on_its_field_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post(reverse("opac:staff-news-create"), {
        "title_th": "ข่าว", "body_th": "ข้อความ", "hashtags": "#ดี #ไม่-ดี",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "ไม่-ดี" in str(response.context["form"].errors["hashtags"])
    assert not NewsPost.objects.exists()


def test_staff_without_news_permission_cannot_open_the_news_pages(client, network):
    viewer = staff_user(roles.EXECUTIVE_VIEWER, network["city"])
    client.force_login(viewer)
    assert client.get(reverse("opac:staff-news")).status_code == 403  # signed in: the Thai 403 page, not a log-in loop
    make_post()
    assert client.post(reverse("opac:staff-news-publish", args=[NewsPost.objects.get().pk])).status_code == 403
    assert NewsPost.objects.get().status == NewsPost.Status.DRAFT


def test_the_staff_news_url_resolves_under_staff():
    assert reverse("opac:staff-news") == "/staff/news/"
    from django.urls import resolve

    assert resolve("/staff/news/").url_name == "staff-news"


def test_a_post_with_an_image_shows_it_with_its_description_and_og_image(client, editor, fixed_now, settings,
                                                                        tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 0)).save(buffer, format="PNG")
    client.force_login(editor)
    image = SimpleUploadedFile("story.png", buffer.getvalue(), content_type="image/png")
    client.post(reverse("opac:staff-news-create"), {
        "title_th": "นิทานยามเช้า", "body_th": "เนื้อหา", "image": image, "image_alt_th": "เด็ก ๆ ฟังนิทาน",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0",
    })
    post = NewsPost.objects.get()
    services.publish(post, now=WED_10AM - timedelta(hours=1))
    fixed_now(WED_10AM)
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'alt="เด็ก ๆ ฟังนิทาน"' in page and '<meta property="og:image"' in page


def test_an_image_without_a_description_is_refused(client, editor, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    client.force_login(editor)
    response = client.post(reverse("opac:staff-news-create"), {
        "title_th": "ข่าว", "body_th": "เนื้อหา", "image": SimpleUploadedFile("a.png", buffer.getvalue(),
                                                                          content_type="image/png"),
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0",
    })
    assert "image_alt_th" in response.context["form"].errors and not NewsPost.objects.exists()
