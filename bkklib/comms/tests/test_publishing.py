"""Publishing: adapters against fake Facebook, LINE and X servers; failures, retries, exactly once."""
import threading
from datetime import timedelta

import pytest
from django.db import connections

from bkklib.comms import adapters, rules, services
from bkklib.comms.models import Post, Variant
from bkklib.opac.models import NewsPost

from . import fakes
from .conftest import NOON
from .factories import scheduled

pytestmark = pytest.mark.django_db
AT = NOON + timedelta(hours=1)
LATER = AT + timedelta(seconds=5)


def script_success(api, page="1122334455"):
    api.answer("POST", f"/{page}/feed", 200, {"id": f"{page}_987654321"})
    api.answer("POST", f"/{page}/photos", 200, {"id": "5550001", "post_id": f"{page}_5550002"})
    api.answer("POST", "/v2/bot/message/broadcast", 200, {}, {"x-line-request-id": "line-req-0001"})
    api.answer("POST", "/2/tweets", 201, {"data": {"id": "1866000000000000001", "text": "…",
                                                   "edit_history_tweet_ids": ["1866000000000000001"]}})


def by_path(api, path):
    return [r for r in api.requests if r.path == path]


def test_each_adapter_sends_the_real_request_shape_with_the_token_in_the_auth_header(team, channels, api):
    script_success(api)
    post = scheduled(team, channels.values(), at=AT, now=NOON)
    assert services.publish_due(now=NOON) == {}  # not yet
    counts = services.publish_due(now=LATER)
    assert counts == {"published": 4}
    fb = by_path(api, "/1122334455/feed")[0]
    assert fb.method == "POST" and fb.headers["authorization"] == "Bearer tok-secret-123"
    assert fb.form["link"] == "https://library.bangkok.example/events/1/"
    assert fb.form["message"].startswith("ชวนน้อง ๆ มาฟังนิทาน") and "#ห้องสมุด #สนส" in fb.form["message"]
    line = by_path(api, "/v2/bot/message/broadcast")[0]
    assert line.headers["authorization"] == "Bearer tok-secret-123"
    assert line.headers["content-type"] == "application/json"
    variant = Variant.objects.get(post=post, channel=channels["line"])
    assert line.headers["x-line-retry-key"] == str(variant.idempotency_key)
    assert line.json == {"messages": [{"type": "text", "text": services.channel_text(post)}]}
    tweet = by_path(api, "/2/tweets")[0]
    assert tweet.headers["authorization"] == "Bearer tok-secret-123" and tweet.json == {"text": services.channel_text(post)}
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.published_at == LATER
    ids = dict(post.variants.values_list("channel__kind", "external_id"))
    assert ids["facebook"] == "1122334455_987654321" and ids["line"] == "line-req-0001"
    assert ids["x"] == "1866000000000000001" and ids["website"].startswith("pr-")


def test_facebook_posts_an_image_to_photos_with_caption_and_thai_alt_text(team, channels, api):
    script_success(api)
    scheduled(team, [channels["facebook"]], at=AT, now=NOON, image_url="https://library.bangkok.example/m/p.jpg",
              image_alt_th="โปสเตอร์กิจกรรมเล่านิทาน")
    services.publish_due(now=LATER)
    photo = by_path(api, "/1122334455/photos")[0]
    assert photo.form["url"] == "https://library.bangkok.example/m/p.jpg"
    assert photo.form["alt_text_custom"] == "โปสเตอร์กิจกรรมเล่านิทาน" and "นิทาน" in photo.form["caption"]
    assert Variant.objects.get().external_id == "1122334455_5550002"


def test_line_narrowcast_goes_to_the_audience_group(team, channels, api):
    channels["line"].account_id = "4389303728991"
    channels["line"].save()
    api.answer("POST", "/v2/bot/message/narrowcast", 202, {}, {"x-line-request-id": "nc-1"})
    scheduled(team, [channels["line"]], at=AT, now=NOON)
    services.publish_due(now=LATER)
    sent = by_path(api, "/v2/bot/message/narrowcast")[0]
    assert sent.json["recipient"] == {"type": "audience", "audienceGroupId": 4389303728991}
    assert Variant.objects.get().state == "published"


@pytest.mark.parametrize(("kind", "path", "status", "body", "headers"), [
    ("facebook", "/1122334455/feed", 400, fakes.FB_EXPIRED, {}),
    ("line", "/v2/bot/message/broadcast", 401, fakes.LINE_AUTH, {}),
    ("x", "/2/tweets", 401, fakes.X_UNAUTHORIZED, {}),
    ("x", "/2/tweets", 401, fakes.X_V1_AUTH, {}),
])
def test_an_expired_token_fails_at_once_with_a_clear_state(team, channels, api, kind, path, status, body, headers):
    api.answer("POST", path, status, body, headers)
    post = scheduled(team, [channels[kind]], at=AT, now=NOON)
    assert services.publish_due(now=LATER) == {"failed": 1}
    variant = Variant.objects.get(post=post)
    assert variant.state == "failed" and variant.last_error.startswith("[auth]") and variant.next_attempt_at is None
    assert "tok-secret-123" not in variant.last_error
    post.refresh_from_db()
    assert post.status == Post.Status.FAILED
    assert services.publish_due(now=LATER + timedelta(hours=3)) == {}  # not retried by itself


@pytest.mark.parametrize(("kind", "path", "status", "body", "headers", "wait"), [
    ("facebook", "/1122334455/feed", 400, fakes.FB_RATE, {}, 60),
    ("line", "/v2/bot/message/broadcast", 429, fakes.LINE_RATE, {"Retry-After": "120"}, 120),
    ("x", "/2/tweets", 429, fakes.X_RATE, {"Retry-After": "900"}, 900),
])
def test_a_rate_limit_is_retried_after_the_wait_the_service_asks(team, channels, api, kind, path, status, body,
                                                                 headers, wait):
    api.answer("POST", path, status, body, headers)
    post = scheduled(team, [channels[kind]], at=AT, now=NOON)
    assert services.publish_due(now=LATER) == {"retry": 1}
    variant = Variant.objects.get(post=post)
    assert variant.state == "retry" and variant.last_error.startswith("[rate_limit]")
    assert variant.next_attempt_at == LATER + timedelta(seconds=wait)
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED


def test_a_failing_channel_does_not_block_the_others_and_is_retried_with_backoff(team, channels, api):
    script_success(api)
    api.script[("POST", "/2/tweets")] = [(503, {"title": "Service Unavailable", "status": 503}, {}),
                                         (500, {"title": "Internal Error", "status": 500}, {}),
                                         (201, {"data": {"id": "1866000000000000009", "text": "…"}}, {})]
    post = scheduled(team, channels.values(), at=AT, now=NOON)
    assert services.publish_due(now=LATER) == {"published": 3, "retry": 1}
    x = Variant.objects.get(post=post, channel=channels["x"])
    assert x.attempts == 1 and x.next_attempt_at == LATER + timedelta(minutes=1)
    assert NewsPost.objects.filter(slug=Variant.objects.get(post=post, channel=channels["website"]).external_id).exists()
    assert services.publish_due(now=LATER + timedelta(seconds=30)) == {}  # backing off
    assert services.publish_due(now=LATER + timedelta(minutes=1)) == {"retry": 1}
    x.refresh_from_db()
    assert x.attempts == 2 and x.next_attempt_at == LATER + timedelta(minutes=3)  # 1 then 2 minutes
    assert services.publish_due(now=LATER + timedelta(minutes=3)) == {"published": 1}
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert len(by_path(api, "/1122334455/feed")) == 1 and len(by_path(api, "/2/tweets")) == 3


def test_a_channel_that_keeps_failing_fails_after_the_last_attempt_and_can_be_retried_by_a_reviewer(team, channels,
                                                                                                    api):
    api.answer("POST", "/2/tweets", 502, {"title": "Bad Gateway"})
    post = scheduled(team, [channels["x"]], at=AT, now=NOON)
    now = LATER
    for _ in range(rules.MAX_ATTEMPTS):
        services.publish_due(now=now)
        now += timedelta(hours=3)
    variant = Variant.objects.get(post=post)
    assert variant.state == "failed" and variant.attempts == rules.MAX_ATTEMPTS
    post.refresh_from_db()
    assert post.status == Post.Status.FAILED
    api.script[("POST", "/2/tweets")] = [(201, {"data": {"id": "42", "text": "…"}}, {})]
    services.act(post=post, action="retry", by=team.reviewer, now=now)
    assert services.publish_due(now=now) == {"published": 1}


def test_line_answers_a_repeated_retry_key_with_409_and_the_first_request_id(team, channels, api):
    api.answer("POST", "/v2/bot/message/broadcast", 409,
               {"message": "The retry key is already accepted"}, {"x-line-accepted-request-id": "line-first-req"})
    scheduled(team, [channels["line"]], at=AT, now=NOON)
    assert services.publish_due(now=LATER) == {"published": 1}
    assert Variant.objects.get().external_id == "line-first-req"


def test_a_claimed_variant_is_not_sent_by_a_second_worker(team, channels, api):
    script_success(api)
    post = scheduled(team, [channels["facebook"]], at=AT, now=NOON)
    variant = post.variants.get()
    assert services.claim(variant.pk, LATER) is True
    assert services.claim(variant.pk, LATER) is False
    assert services.publish_variant(variant.pk, now=LATER) == "taken"
    assert api.requests == []


def test_a_worker_that_died_while_sending_never_leads_to_a_second_facebook_post(team, channels, api):
    script_success(api)
    post = scheduled(team, [channels["facebook"], channels["line"]], at=AT, now=NOON)
    for v in post.variants.all():
        services.claim(v.pk, LATER)  # ...and the worker is killed
    services.publish_due(now=LATER + services.STALE_AFTER + timedelta(minutes=1))
    states = dict(post.variants.values_list("channel__kind", "state"))
    assert states == {"facebook": "failed", "line": "published"}  # LINE's retry key makes the repeat safe
    assert by_path(api, "/1122334455/feed") == []


def test_the_website_news_appears_only_from_the_post_time_and_once(team, channels):
    post = scheduled(team, [channels["website"]], at=AT, now=NOON)
    services.publish_due(now=LATER)
    news = NewsPost.objects.get()
    assert news.title_th == post.title and news.publish_at == AT and news.hashtags == "ห้องสมุด สนส"
    assert not NewsPost.objects.visible(now=AT - timedelta(seconds=1)).exists()
    assert NewsPost.objects.visible(now=LATER).exists()
    variant = post.variants.get()
    assert adapters.adapter_for(channels["website"], post=post).publish(services.message_for(variant)) == news.slug
    assert NewsPost.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_publish_a_scheduled_post_exactly_once(postgres_only, team, channels, api):
    script_success(api)
    api.delay = 0.02  # the channel answers a little slowly: both workers are inside publish_due at once
    posts = [scheduled(team, channels.values(), at=AT, now=NOON, title=f"โพสต์ {n}") for n in range(15)]
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(services.publish_due(now=LATER))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(r.get("published", 0) for r in results) == 60
    assert sum(r.get("taken", 0) for r in results) > 0  # they did meet
    assert len(by_path(api, "/1122334455/feed")) == 15
    assert len(by_path(api, "/v2/bot/message/broadcast")) == 15
    assert len(by_path(api, "/2/tweets")) == 15
    assert NewsPost.objects.count() == 15
    assert all(p.variants.filter(state="published").count() == 4 for p in posts)
