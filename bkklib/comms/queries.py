"""The read side of comms: posts a user may see, the calendar, review to-dos, the monthly report."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from bkklib.network import access

from .models import Channel, Post, Reach, Settings, Variant


def settings_row() -> Settings:
    row, _created = Settings.objects.get_or_create(pk=1)
    return row


def standard_hashtags() -> list[str]:
    return settings_row().standard_hashtags.split()


def aware(d: date, t: time = time.min) -> datetime:
    return timezone.make_aware(datetime.combine(d, t))


def posts_for(user, perm: str = "comms.view_post") -> QuerySet[Post]:
    """Posts ``user`` may see: of their branches, and the division's (everyone with the permission sees those)."""
    rows = Post.objects.select_related("branch", "author", "approved_by")
    if access.acts_everywhere(user) and user.has_perm(perm):
        return rows
    return rows.filter(Q(branch__in=access.branches_for(user, perm)) | Q(branch__isnull=True))


def channels_for(user, branch=None) -> QuerySet[Channel]:
    """Active channels a post of ``branch`` may go to: the branch's own and the division's."""
    rows = Channel.objects.filter(is_active=True).select_related("branch")
    if branch is None:
        return rows.filter(branch__isnull=True)
    return rows.filter(Q(branch=branch) | Q(branch__isnull=True))


def awaiting_review(user) -> QuerySet[Post]:
    """Posts in review that ``user`` may approve (not their own)."""
    return posts_for(user, "comms.approve_post").filter(status=Post.Status.REVIEW).exclude(author=user)


def count_awaiting_review(*, user, branch, today: date) -> int:
    return awaiting_review(user).filter(Q(branch=branch) | Q(branch__isnull=True)).count()


def count_failed(*, user, branch, today: date) -> int:
    return posts_for(user).filter(status=Post.Status.FAILED).filter(Q(branch=branch) | Q(branch__isnull=True)).count()


# ---- calendar --------------------------------------------------------------------------------------

@dataclass
class Day:
    day: date
    in_month: bool
    posts: list = field(default_factory=list)


def month_grid(posts: QuerySet[Post], month: date) -> list[list[Day]]:
    """Weeks (Monday first) covering ``month``, each day with its posts by time."""
    first = month.replace(day=1)
    start = first - timedelta(days=first.weekday())
    nxt = (first + timedelta(days=32)).replace(day=1)
    end = nxt + timedelta(days=(7 - nxt.weekday()) % 7)
    return _grid(posts, start, end, month=first.month)


def week_grid(posts: QuerySet[Post], day: date) -> list[list[Day]]:
    start = day - timedelta(days=day.weekday())
    return _grid(posts, start, start + timedelta(days=7), month=None)


def _grid(posts, start: date, end: date, *, month) -> list[list[Day]]:
    dates = [start + timedelta(days=n) for n in range((end - start).days)]
    days = {d: Day(d, month is None or d.month == month) for d in dates}
    for post in posts.between(aware(start), aware(end)).prefetch_related("variants__channel").order_by("publish_at"):
        local = timezone.localtime(post.publish_at).date()
        if local in days:
            days[local].posts.append(post)
    ordered = [days[d] for d in sorted(days)]
    return [ordered[i:i + 7] for i in range(0, len(ordered), 7)]


def unscheduled(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.filter(publish_at__isnull=True).exclude(status=Post.Status.PUBLISHED).order_by("-created_at")


# ---- report ---------------------------------------------------------------------------------------

@dataclass
class ReportRow:
    channel: str
    kind: str
    branch: str
    posts: int = 0
    reach: int = 0
    impressions: int = 0
    engagement: int = 0


@dataclass
class Report:
    month: date
    rows: list[ReportRow]
    top: list[tuple[Variant, int]]
    total_posts: int
    total_reach: int
    total_engagement: int


def monthly_report(user, month: date, *, branch=None, top_n: int = 10) -> Report:
    """Posts published in ``month`` per channel and branch, with reach and engagement; the top posts."""
    start = aware(month.replace(day=1))
    end = aware((month.replace(day=1) + timedelta(days=32)).replace(day=1))
    posts = posts_for(user, "comms.view_comms_report")
    if branch is not None:
        posts = posts.filter(branch=branch)
    variants = (Variant.objects.filter(post__in=posts, state=Variant.State.PUBLISHED, published_at__gte=start,
                                       published_at__lt=end)
                .select_related("channel", "channel__branch", "post", "post__branch"))
    reach = {r.variant_id: r for r in Reach.objects.filter(variant__in=variants)}
    rows: dict[tuple, ReportRow] = {}
    scored = []
    for v in variants:
        key = (v.channel_id, v.post.branch_id)
        row = rows.setdefault(key, ReportRow(channel=v.channel.name, kind=v.channel.get_kind_display(),
                                             branch=v.post.branch.name_th if v.post.branch_id else "",
                                             ))
        r = reach.get(v.pk)
        row.posts += 1
        if r:
            row.reach += r.reach
            row.impressions += r.impressions
            row.engagement += r.engagement
        scored.append((v, r.engagement if r else 0, r.reach if r else 0))
    scored.sort(key=lambda t: (-t[1], -t[2], t[0].pk))
    ordered = sorted(rows.values(), key=lambda r: (r.kind, r.channel, r.branch))
    return Report(month=month.replace(day=1), rows=ordered, top=[(v, e) for v, e, _r in scored[:top_n]],
                  total_posts=sum(r.posts for r in ordered), total_reach=sum(r.reach for r in ordered),
                  total_engagement=sum(r.engagement for r in ordered))
