"""Demo public relations: the division's and the City Library's channels, two months of published posts
with reach, posts in review and scheduled, one failed; drafts made from demo activities and e-book
collections through the real one-click path.

Deterministic and idempotent (by title); every channel and post carries ``(ข้อมูลสาธิต)`` / ``is_demo``.
Demo channels of Facebook, LINE and X point at ``http://127.0.0.1:9`` (nothing listens there) and carry
no real token, so a demo never reaches the real services: a scheduled demo post fails there after its
retries, which shows the failure state too.
"""
from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bkklib.network import access
from bkklib.network.models import Branch

from .models import Action, Channel, Post, Reach, Variant

LABEL = "(ข้อมูลสาธิต)"
SEED = 2569
NOWHERE = "http://127.0.0.1:9"

CHANNELS = [
    # kind, name, branch code or None, account id
    ("facebook", "เพจสำนักวัฒนธรรม กีฬา และการท่องเที่ยว", None, "100000000000001"),
    ("line", "LINE OA ห้องสมุดกรุงเทพมหานคร", None, ""),
    ("x", "X @bkklibrary", None, ""),
    ("website", "ข่าวบนเว็บไซต์ห้องสมุด", None, ""),
]
TOPICS = [
    ("เปิดรับสมัครชมรมนักอ่านรุ่นเยาว์", "ชวนน้อง ๆ อายุ 9–15 ปี มาร่วมชมรมนักอ่าน พบกันทุกวันเสาร์ที่ห้องสมุด"),
    ("หนังสือใหม่ประจำเดือน", "หนังสือใหม่กว่า 200 เล่มพร้อมให้ยืมแล้ว ทั้งนวนิยาย สารคดี และหนังสือภาพสำหรับเด็ก"),
    ("ห้องสมุดเปิดบริการวันหยุดยาว", "ห้องสมุดเปิดให้บริการตามปกติในวันหยุดยาว เวลา 09.00–17.00 น."),
    ("อบรมการใช้อีบุ๊กสำหรับผู้สูงอายุ", "สอนยืมและอ่านหนังสืออิเล็กทรอนิกส์บนโทรศัพท์มือถือ ฟรี รับ 20 ท่าน"),
    ("มุมอ่านหนังสือริมน้ำเปิดใหม่", "พื้นที่อ่านหนังสือบรรยากาศดีริมคลอง พร้อมปลั๊กไฟและ Wi-Fi"),
    ("เทศกาลนิทานกรุงเทพฯ", "เล่านิทาน ทำหุ่นมือ และละครหุ่นเงา ในห้องสมุด 36 แห่งทั่วกรุงเทพฯ"),
    ("บริการห้องสมุดเคลื่อนที่", "รถห้องสมุดเคลื่อนที่แวะชุมชนริมทางรถไฟ ทุกวันพุธ"),
    ("ชวนอ่านวรรณกรรมซีไรต์", "รวมวรรณกรรมรางวัลซีไรต์ให้ยืมทั้งฉบับพิมพ์และอีบุ๊ก"),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def run(stdout=None, scale: float = 1.0) -> None:
    author, reviewer = _user("staff"), _user("librarian")
    if author is None or reviewer is None:
        if stdout:
            stdout.write("comms: the demo log-ins (network demo) are missing; skipped\n")
        return
    rng = random.Random(SEED)
    now = timezone.now().replace(second=0, microsecond=0)
    city = Branch.objects.filter(is_demo=True, kind=Branch.Kind.CITY_LIBRARY).order_by("code").first()
    channels = []
    for kind, name, _code, account in CHANNELS:
        channel, created = Channel.objects.get_or_create(kind=kind, name=f"{name} {LABEL}", defaults={
            "account_id": account, "base_url": NOWHERE if kind != "website" else "", "is_demo": True})
        if created and kind != "website":
            channel.set_token(f"demo-{kind}-token-not-real")
            channel.save(update_fields=["credentials_encrypted"])
        channels.append(channel)
    if city is not None:
        page, created = Channel.objects.get_or_create(kind="facebook", name=f"เพจ{city.name_th} {LABEL}", defaults={
            "branch": city, "account_id": "100000000000002", "base_url": NOWHERE, "is_demo": True})
        if created:
            page.set_token("demo-facebook-token-not-real")
            page.save(update_fields=["credentials_encrypted"])
        channels.append(page)
    social = [c for c in channels if c.kind != "website"]
    made = 0
    count = max(int(len(TOPICS) * 3 * scale), 4)
    for n in range(count):
        topic, text = TOPICS[n % len(TOPICS)]
        title = f"{topic} #{n + 1} {LABEL}"
        if Post.objects.filter(title=title).exists():
            continue
        days_ago = 58 - n * (58 // count)
        when = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        branch = city if n % 3 == 0 else None
        targets = [c for c in social if c.branch_id in (None, branch.pk if branch else None)]
        post = Post.objects.create(title=title, text=text, hashtags="ห้องสมุด สนส ห้องสมุดกรุงเทพมหานคร",
                                   link="https://library.bangkok.go.th/", branch=branch, status=Post.Status.PUBLISHED,
                                   publish_at=when, published_at=when, author=author, approved_by=reviewer,
                                   approved_at=when - timedelta(days=1), is_demo=True)
        Action.objects.bulk_create([
            Action(post=post, verb="written", by=author, at=when - timedelta(days=2)),
            Action(post=post, verb="submit", by=author, at=when - timedelta(days=2)),
            Action(post=post, verb="approve", by=reviewer, at=when - timedelta(days=1)),
            Action(post=post, verb="schedule", by=reviewer, at=when - timedelta(days=1)),
            Action(post=post, verb="published", by=None, at=when)])
        for channel in targets:
            variant = Variant.objects.create(post=post, channel=channel, state=Variant.State.PUBLISHED, attempts=1,
                                             external_id=f"demo-{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}",
                                             published_at=when)
            reach = rng.randint(300, 6000) if channel.kind == "facebook" else rng.randint(100, 2500)
            Reach.objects.create(variant=variant, reach=reach, impressions=int(reach * rng.uniform(1.2, 1.8)),
                                 reactions=rng.randint(5, reach // 15), comments=rng.randint(0, 40),
                                 shares=rng.randint(0, 60), clicks=rng.randint(0, reach // 10),
                                 origin=Reach.Origin.CSV if channel.kind == "facebook" else Reach.Origin.API,
                                 imported_at=now)
        made += 1
    # Work in progress: one in review, one approved and scheduled next week, one failed (expired token).
    upcoming = [("ชวนร่วมงานสัปดาห์ห้องสมุด", Post.Status.REVIEW, None),
                ("เปิดจองพื้นที่โคเวิร์กกิงออนไลน์", Post.Status.SCHEDULED, now + timedelta(days=7)),
                ("ประกาศปิดปรับปรุงระบบยืมคืน", Post.Status.FAILED, now - timedelta(days=1))]
    for topic, status, when in upcoming:
        title = f"{topic} {LABEL}"
        if Post.objects.filter(title=title).exists():
            continue
        approved = status != Post.Status.REVIEW
        post = Post.objects.create(title=title, text=f"{topic} รายละเอียดเพิ่มเติมที่ลิงก์ด้านล่าง",
                                   link="https://library.bangkok.go.th/", hashtags="ห้องสมุด สนส", status=status,
                                   publish_at=when, author=author, approved_by=reviewer if approved else None,
                                   approved_at=now - timedelta(days=2) if approved else None, is_demo=True)
        Action.objects.create(post=post, verb="submit", by=author, at=now - timedelta(days=3))
        for channel in channels[:3]:
            if status == Post.Status.FAILED and channel.kind == "facebook":
                Variant.objects.create(post=post, channel=channel, state=Variant.State.FAILED, attempts=1,
                                       last_error="[auth] Facebook 400 code 190: Error validating access token: "
                                                  "Session has expired.")
            elif status == Post.Status.FAILED:
                Variant.objects.create(post=post, channel=channel, state=Variant.State.PUBLISHED, attempts=1,
                                       external_id=f"demo-{channel.kind}-{post.pk}", published_at=when)
            else:
                Variant.objects.create(post=post, channel=channel, next_attempt_at=when)
        made += 1
    made += _drafts_from_sources(author)
    if stdout:
        stdout.write(f"comms: {len(channels)} channels, {made} posts\n")


def _drafts_from_sources(author) -> int:
    """Drafts made through the one-click path from a demo activity and a demo e-book collection."""
    from bkklib.core.exceptions import DomainError
    from bkklib.elibrary.models import Collection
    from bkklib.events.models import Activity

    from . import drafts

    made = 0
    sources = []
    activity = (Activity.objects.published().filter(is_demo=True, branch__in=access.branches_for(author, "comms.add_post"))
                .order_by("pk").first())
    if activity is not None:
        sources.append(("activity", activity.pk))
    collection = Collection.objects.filter(is_demo=True).order_by("pk").first()
    if collection is not None:
        sources.append(("collection", collection.slug))
    for source, source_id in sources:
        if Post.objects.filter(source=source, source_id=str(source_id), is_demo=True).exists():
            continue
        try:
            with transaction.atomic():
                post = drafts.create_draft(source=source, source_id=source_id, by=author)
        except DomainError:
            continue
        Post.objects.filter(pk=post.pk).update(is_demo=True)
        made += 1
    return made
