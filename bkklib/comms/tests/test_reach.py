"""Reach: figures fetched through the adapters and imported from Meta Business Suite CSV; the monthly report."""
from datetime import date, timedelta

import pytest
from django.utils import translation

from bkklib.comms import queries, services
from bkklib.comms.exceptions import BadCsv
from bkklib.comms.models import Reach, Variant

from .conftest import NOON
from .factories import scheduled
from .test_publishing import AT, LATER, script_success

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(team, channels, api):
    script_success(api)
    post = scheduled(team, [channels["facebook"], channels["line"], channels["x"]], at=AT, now=NOON)
    services.publish_due(now=LATER)
    return post


def test_figures_are_fetched_through_each_adapter(team, channels, api, published):
    api.answer("GET", "/1122334455_987654321", 200, {
        "id": "1122334455_987654321", "shares": {"count": 7},
        "reactions": {"data": [], "summary": {"total_count": 120, "viewer_reaction": "NONE"}},
        "comments": {"data": [], "summary": {"order": "ranked", "total_count": 9, "can_comment": True}},
        "insights": {"data": [
            {"name": "post_impressions_unique", "period": "lifetime", "values": [{"value": 3400}], "id": "x"},
            {"name": "post_impressions", "period": "lifetime", "values": [{"value": 5100}], "id": "y"},
            {"name": "post_clicks", "period": "lifetime", "values": [{"value": 210}], "id": "z"}]}})
    api.answer("GET", "/v2/bot/insight/message/event", 200, {
        "overview": {"requestId": "line-req-0001", "timestamp": 1765000000, "delivered": 8000,
                     "uniqueImpression": 2500, "uniqueClick": 300, "uniqueMediaPlayed": None,
                     "uniqueMediaPlayed100Percent": None}, "messages": [], "clicks": []})
    api.answer("GET", "/2/tweets/1866000000000000001", 200, {"data": {
        "id": "1866000000000000001", "text": "…", "public_metrics": {
            "retweet_count": 4, "reply_count": 2, "like_count": 31, "quote_count": 1, "bookmark_count": 0,
            "impression_count": 990}}})
    done, errors = services.import_reach(now=LATER + timedelta(days=1))
    assert (done, errors) == (3, [])
    fb = Reach.objects.get(variant__channel=channels["facebook"])
    assert (fb.reach, fb.impressions, fb.reactions, fb.comments, fb.shares, fb.clicks) == (3400, 5100, 120, 9, 7, 210)
    assert fb.origin == "api" and fb.engagement == 346
    graph = [r for r in api.requests if r.path == "/1122334455_987654321"][0]
    assert "insights.metric(post_impressions_unique" in graph.query["fields"]
    assert graph.headers["authorization"] == "Bearer tok-secret-123"
    line = Reach.objects.get(variant__channel=channels["line"])
    assert (line.reach, line.impressions, line.clicks) == (2500, 8000, 300)
    x = Reach.objects.get(variant__channel=channels["x"])
    assert (x.reactions, x.shares, x.comments, x.impressions) == (31, 5, 2, 990)


def test_a_channel_whose_token_expired_is_reported_and_the_others_are_imported(team, channels, api, published):
    from .fakes import FB_EXPIRED

    api.answer("GET", "/1122334455_987654321", 400, FB_EXPIRED)
    api.answer("GET", "/v2/bot/insight/message/event", 200, {"overview": {"uniqueImpression": 10}})
    api.answer("GET", "/2/tweets/1866000000000000001", 200, {"data": {"id": "1", "public_metrics": {}}})
    done, errors = services.import_reach()
    assert done == 2 and len(errors) == 1 and "code 190" in errors[0] and "tok-secret" not in errors[0]


META_CSV = ("\ufeffPost ID,Page ID,Page name,Title,Description,Publish time,Permalink,Post type,Impressions,Reach,"
            "\"Reactions, Comments and Shares\",Reactions,Comments,Shares,Total clicks,Link clicks,Other Clicks\n"
            "987654321,1122334455,ห้องสมุดบางเขน,,ชวนน้อง ๆ มาฟังนิทาน,12/07/2026 13:00,"
            "https://www.facebook.com/1122334455/posts/987654321,Links,\"6,100\",\"4,200\",150,131,11,8,260,200,60\n"
            "111,1122334455,ห้องสมุดบางเขน,,โพสต์อื่น,12/01/2026 09:00,https://x,Photos,5,5,0,0,0,0,0,0,0\n")


def test_a_meta_business_suite_export_fills_the_facebook_figures(team, channels, published):
    done, unknown = services.import_meta_csv(data=META_CSV.encode(), by=team.reviewer)
    assert done == 1 and unknown == ["111"]
    fb = Reach.objects.get(variant__channel=channels["facebook"])
    assert (fb.reach, fb.impressions, fb.reactions, fb.comments, fb.shares, fb.clicks) == (4200, 6100, 131, 11, 8, 260)
    assert fb.origin == "csv"


def test_a_file_that_is_not_a_meta_export_is_refused_in_thai(team):
    with translation.override("th"), pytest.raises(BadCsv) as refused:
        services.import_meta_csv(data=b"name,count\na,1\n")
    assert refused.value.text == "ไฟล์นี้ไม่ใช่ไฟล์ส่งออกโพสต์จาก Meta Business Suite: ไม่พบคอลัมน์ “Post ID”"


def test_the_monthly_report_counts_posts_reach_engagement_per_channel_and_branch(team, channels, published):
    services.import_meta_csv(data=META_CSV.encode())
    report = queries.monthly_report(team.reviewer, date(2026, 12, 1))
    assert report.total_posts == 3 and report.total_reach == 4200 and report.total_engagement == 410
    rows = {r.channel: r for r in report.rows}
    assert rows["facebook บางเขน"].posts == 1 and rows["facebook บางเขน"].branch == team.branch.name_th
    top_variant, engagement = report.top[0]
    assert top_variant.channel == channels["facebook"] and engagement == 410
    assert queries.monthly_report(team.reviewer, date(2026, 11, 1)).total_posts == 0
    assert Variant.objects.filter(state="published").count() == 3


def test_the_dashboard_figures_count_published_variants_and_their_reach(team, channels, published):
    from bkklib.comms import indicators

    services.import_meta_csv(data=META_CSV.encode())
    day = LATER.astimezone(NOON.tzinfo).date()
    posts = {dict(f.dims)["channel_kind"]: f.value for f in indicators.posts_published(day)}
    assert posts == {"facebook": 1, "line": 1, "x": 1}
    assert {dict(f.dims)["channel_kind"]: f.value for f in indicators.reach(day)} == {"facebook": 4200}
