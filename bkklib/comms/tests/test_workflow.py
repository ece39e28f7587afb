"""Post states and who may move them: an author never approves their own post; limits per channel."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from bkklib.comms import rules, services
from bkklib.comms.exceptions import ActionRefused, NoAltText, TooLong
from bkklib.comms.models import Action, Post, Variant

from .conftest import NOON
from .factories import write

pytestmark = pytest.mark.django_db


def test_a_post_goes_draft_review_approved_scheduled_with_who_did_what(team, channels):
    post = write(team, channels.values())
    assert post.status == Post.Status.DRAFT and post.author == team.author
    services.act(post=post, action="submit", by=team.author, now=NOON)
    post = services.act(post=post, action="approve", by=team.reviewer, now=NOON)
    assert post.status == Post.Status.APPROVED and post.approved_by == team.reviewer
    post = services.act(post=post, action="schedule", by=team.author, publish_at=NOON + timedelta(hours=2), now=NOON)
    assert post.status == Post.Status.SCHEDULED
    assert set(post.variants.values_list("state", flat=True)) == {"pending"}
    log = list(Action.objects.filter(post=post).order_by("pk").values_list("verb", "by__username"))
    assert log == [("written", "author"), ("submit", "author"), ("approve", "reviewer"), ("schedule", "author")]


def test_an_author_cannot_approve_their_own_post_even_holding_the_permission(team, channels):
    post = services.save_post(by=team.reviewer, title="ประกาศวันหยุด", text="ห้องสมุดปิดวันที่ 10 ธ.ค.",
                              branch=team.branch, channels=[channels["facebook"]])
    services.act(post=post, action="submit", by=team.reviewer)
    with translation.override("th"), pytest.raises(ActionRefused) as refused:
        services.act(post=post, action="approve", by=team.reviewer)
    assert refused.value.code == "own_post" and refused.value.status == 403
    assert refused.value.text == "คุณเป็นผู้เขียน “ประกาศวันหยุด” ต้องให้ผู้อื่นตรวจและอนุมัติ"
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW and post.approved_by is None


def test_the_database_refuses_an_approval_by_the_author_written_around_the_services(team, channels):
    post = write(team, channels.values())
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(approved_by=team.author)


def test_staff_without_the_review_permission_cannot_approve_and_states_are_kept(team, channels):
    other = services.save_post(by=team.reviewer, title="เปิดมุมเด็ก", text="มุมเด็กใหม่", branch=team.branch,
                               channels=[channels["line"]])
    services.act(post=other, action="submit", by=team.reviewer)
    with pytest.raises(ActionRefused) as refused:
        services.act(post=other, action="approve", by=team.author)
    assert refused.value.code == "no_permission"
    draft = write(team, channels.values())
    with pytest.raises(ActionRefused) as refused:
        services.act(post=draft, action="approve", by=team.reviewer)  # a draft is not in review
    assert refused.value.code == "wrong_state"
    with pytest.raises(ActionRefused):
        services.act(post=draft, action="schedule", by=team.author, publish_at=NOON)


def test_returning_a_post_clears_the_approval_and_lets_the_author_change_it(team, channels):
    post = write(team, channels.values())
    services.act(post=post, action="submit", by=team.author)
    services.act(post=post, action="approve", by=team.reviewer)
    post = services.act(post=post, action="return", by=team.reviewer, note="เปลี่ยนรูปภาพ")
    assert post.status == Post.Status.DRAFT and post.approved_by is None
    post = write(team, channels.values(), post=post, title="นิทานยามเช้า (แก้ไข)")
    assert post.title == "นิทานยามเช้า (แก้ไข)"
    assert Action.objects.filter(post=post, verb="return", note="เปลี่ยนรูปภาพ").exists()


@pytest.mark.parametrize("transition", sorted(rules.TRANSITIONS))
def test_every_transition_starts_only_from_its_states(transition):
    starts, _to, perm = rules.TRANSITIONS[transition]
    actor = rules.Actor(user_id=2, perms=frozenset({perm}))
    for state in ("draft", "review", "approved", "scheduled", "published", "failed"):
        reason = rules.refusal(transition, state=state, author_id=1, actor=actor)
        assert (reason is None) == (state in starts)


def test_an_over_long_x_variant_is_refused_with_a_specific_thai_message_and_nothing_is_stored(team, channels):
    long_text = "ก" * 300
    with translation.override("th"), pytest.raises(TooLong) as refused:
        write(team, channels.values(), variants={channels["x"].pk: long_text})
    assert refused.value.text == ("ข้อความสำหรับ x บางเขน ยาว 300 ตัวอักษร บัญชี X รับได้ไม่เกิน 280 ตัวอักษร "
                                  "ต้องตัดออก 20 ตัวอักษร")
    assert refused.value.field == f"variant_{channels['x'].pk}"
    assert not Post.objects.exists() and not Variant.objects.exists()


def test_the_master_text_with_link_and_hashtags_is_measured_for_x(team, channels):
    text = "ข" * 240  # + link (23) + hashtags: over 280 on X, fine on Facebook
    with pytest.raises(TooLong):
        write(team, [channels["x"]], text=text)
    assert write(team, [channels["facebook"], channels["line"]], text=text).pk


def test_a_line_text_over_5000_characters_is_refused(team, channels):
    with pytest.raises(TooLong) as refused:
        write(team, [channels["line"]], variants={channels["line"].pk: "ค" * 5001})
    assert refused.value.params["limit"] == 5000


def test_an_image_needs_a_thai_description(team, channels):
    with pytest.raises(NoAltText):
        write(team, channels.values(), image_url="https://library.bangkok.example/media/poster.jpg")


def test_x_counts_links_as_23_and_emoji_as_2():
    assert rules.x_length("สวัสดี https://example.com/a/very/long/path/indeed") == 6 + 1 + 23
    assert rules.x_length("📚") == 2
