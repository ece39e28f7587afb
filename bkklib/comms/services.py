"""Verbs of comms: write a post, move it through review, publish it exactly once, import what it reached."""
from __future__ import annotations

import csv
import io
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bkklib.core.history import audit
from bkklib.network import access

from . import adapters, rules
from .exceptions import (
    ACTION_NAMES,
    ACTION_VERBS,
    ActionRefused,
    BadCsv,
    BadHashtag,
    ChannelInactive,
    NoAltText,
    NoChannels,
    NotAtBranch,
    NotEditable,
    NoTime,
    TimeInPast,
    TooLong,
)
from .models import Action, Channel, Post, Reach, Variant

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)


# ---- who may act where ----------------------------------------------------------------------------

def require(user, perm: str, branch) -> None:
    """Raise unless ``user`` holds ``perm`` at ``branch`` (a division-wide post: only network-wide staff)."""
    if branch is None:
        if not (user.has_perm(perm) and access.acts_everywhere(user)):
            raise NotAtBranch(branch=_division())
        return
    access.require(user, perm, at=branch)


def _division() -> str:
    from django.utils.translation import gettext

    return gettext("the whole division")


def _record(post: Post, verb: str, by, now: datetime, note: str = "") -> None:
    Action.objects.create(post=post, verb=verb, by=by, at=now, note=note[:500])


# ---- writing --------------------------------------------------------------------------------------

def channel_text(post: Post, variant_text: str = "") -> str:
    """What a channel receives: its own variant text, or the master text with link and hashtags."""
    return variant_text.strip() or rules.compose(text=post.text, link=post.link, hashtags=post.hashtag_list)


def check_texts(post: Post, channels: list[Channel], texts: dict[int, str]) -> None:
    """Raise TooLong naming the first channel whose text is over its limit (nothing is stored)."""
    for channel in channels:
        text = channel_text(post, texts.get(channel.pk, ""))
        over = rules.over_limit(channel.kind, text)
        if over:
            raise TooLong(channel=channel.name, kind=channel.get_kind_display(), length=over[0], limit=over[1],
                          over=over[0] - over[1], field=f"variant_{channel.pk}")


@transaction.atomic
def save_post(*, by, title: str, text: str, channels: list[Channel], post: Post | None = None, link: str = "",
              hashtags: str = "", branch=None, publish_at: datetime | None = None, image=None, image_url: str = "",
              image_alt_th: str = "", variants: dict[int, str] | None = None, source: str = "", source_id: str = "",
              now: datetime | None = None) -> Post:
    """Write a new draft or change a draft (``post``); refuse over-long texts, bad hashtags, images without alt text.

    ``variants`` maps a channel's id to its own text (empty or missing: the master text).
    """
    now = now or timezone.now()
    variants = variants or {}
    if post is not None:
        post = Post.objects.select_for_update().get(pk=post.pk)
        require(by, "comms.change_post", post.branch)
        if post.status not in rules.EDITABLE:
            raise NotEditable(title=post.title, state=post.get_status_display())
    else:
        post = Post(author=by, status=Post.Status.DRAFT, source=source, source_id=str(source_id))
    require(by, "comms.add_post" if post.pk is None else "comms.change_post", branch)
    tags = rules.merge_hashtags(hashtags.replace(",", " ").split())
    bad = rules.bad_hashtag(tags)
    if bad:
        raise BadHashtag(tag=bad, field="hashtags")
    if not channels:
        raise NoChannels(title=title)
    for channel in channels:
        if not channel.is_active:
            raise ChannelInactive(channel=channel.name)
    post.title, post.text, post.link, post.hashtags = title.strip(), text.strip(), link.strip(), " ".join(tags)
    post.branch, post.publish_at, post.image_url = branch, publish_at, image_url.strip()
    post.image_alt_th = image_alt_th.strip()
    if image is not None:
        post.image = image
    if (post.image or post.image_url) and not post.image_alt_th:
        raise NoAltText(field="image_alt_th")
    check_texts(post, channels, variants)
    created = post.pk is None
    audit(post, by, "written" if created else "changed").save()
    keep = {c.pk for c in channels}
    post.variants.exclude(channel_id__in=keep).delete()
    for channel in channels:
        Variant.objects.update_or_create(post=post, channel=channel,
                                         defaults={"text": variants.get(channel.pk, "").strip()})
    _record(post, "written" if created else "changed", by, now)
    return post


# ---- review and scheduling ------------------------------------------------------------------------

def _actor(user) -> rules.Actor:
    return rules.Actor(user_id=user.pk, perms=frozenset(p for p in {t[2] for t in rules.TRANSITIONS.values()}
                                                        if user.has_perm(p)))


@transaction.atomic
def act(*, post: Post, action: str, by, note: str = "", publish_at: datetime | None = None,
        now: datetime | None = None) -> Post:
    """Move ``post`` one step (submit, approve, return, schedule, unschedule, retry) as ``by``; record it.

    Approving with ``publish_at`` (or a post that already has a time) schedules it at once.
    """
    now = now or timezone.now()
    post = Post.objects.select_for_update().get(pk=post.pk)
    reason = rules.refusal(action, state=post.status, author_id=post.author_id, actor=_actor(by))
    if reason:
        raise ActionRefused(reason, title=post.title, state=post.get_status_display(),
                            action=ACTION_NAMES.get(action, action), verb=ACTION_VERBS.get(action, action))
    require(by, rules.TRANSITIONS[action][2], post.branch)
    if action == "submit":
        check_texts(post, [v.channel for v in post.variants.select_related("channel")],
                    {v.channel_id: v.text for v in post.variants.all()})
        if not post.variants.exists():
            raise NoChannels(title=post.title)
    if action == "approve":
        post.approved_by, post.approved_at = by, now
    if action == "return":
        post.approved_by, post.approved_at = None, None
    if action in ("schedule", "retry") or (action == "approve" and (publish_at or post.publish_at)):
        when = publish_at or post.publish_at
        if when is None:
            raise NoTime(title=post.title, field="publish_at")
        if action == "schedule" and when < now - timedelta(minutes=1):
            raise TimeInPast(title=post.title, field="publish_at")
        post.publish_at = when
    post.status = rules.next_state(action)
    audit(post, by, action).save()
    _record(post, action, by, now, note)
    if action == "approve" and post.publish_at is not None:
        if post.publish_at < now - timedelta(minutes=1):
            post.publish_at = now  # approved late: publish at once rather than refuse
        post.status = Post.Status.SCHEDULED
        audit(post, by, "schedule").save()
        _record(post, "schedule", by, now)
    if post.status == Post.Status.SCHEDULED:
        post.variants.exclude(state=Variant.State.PUBLISHED).update(
            state=Variant.State.PENDING, next_attempt_at=post.publish_at, last_error="",
            **({"attempts": 0} if action == "retry" else {}))
    return post


# ---- publishing -----------------------------------------------------------------------------------

def due_variants(now: datetime):
    """Variants whose post is scheduled and due, waiting or due for another attempt."""
    return (Variant.objects.filter(post__status=Post.Status.SCHEDULED, post__publish_at__lte=now,
                                   state__in=(Variant.State.PENDING, Variant.State.RETRY))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)))


def publish_due(*, now: datetime | None = None) -> dict[str, int]:
    """Publish every due variant (the huey task every minute). Return counts by outcome.

    Each variant is claimed on its own and sent on its own: a channel that fails or hangs leaves
    the others untouched. Safe to run in two workers at once (``publish_variant``).
    """
    now = now or timezone.now()
    release_stale(now=now)
    counts: dict[str, int] = {}
    for pk in list(due_variants(now).order_by("post__publish_at", "pk").values_list("pk", flat=True)):
        outcome = publish_variant(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def claim(variant_id: int, now: datetime) -> bool:
    """Take ``variant_id`` for sending: one conditional UPDATE, so of two workers exactly one gets it.

    The UPDATE names only the variant's own columns (``WHERE id = ? AND state IN (...) AND
    next_attempt_at <= now``): PostgreSQL re-checks such a condition on the row it waited for, so a
    second worker sees "sending" and updates nothing. A condition through a join (the post's status)
    would be a sub-query evaluated on the old snapshot and let both workers through; the post's
    conditions are checked just before instead (measured: bench/comms.py).
    """
    if not due_variants(now).filter(pk=variant_id).exists():
        return False
    waiting = (Variant.objects.filter(pk=variant_id, state__in=(Variant.State.PENDING, Variant.State.RETRY))
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)))
    return bool(waiting.update(state=Variant.State.SENDING, claimed_at=now, attempts=F("attempts") + 1))


def message_for(variant: Variant) -> adapters.Message:
    from django.conf import settings

    post = variant.post
    image_url = post.image_url
    if post.image:
        image_url = settings.BKKLIB["SITE_URL"].rstrip("/") + post.image.url
    return adapters.Message(title=post.title, text=channel_text(post, variant.text),
                            idempotency_key=str(variant.idempotency_key), link=post.link, image_url=image_url,
                            image_alt=post.image_alt_th)


def publish_variant(variant_id: int, *, now: datetime | None = None) -> str:
    """Claim, send and settle one variant; return ``taken`` (another worker has it), ``published``,
    ``retry`` or ``failed``."""
    now = now or timezone.now()
    if not claim(variant_id, now):
        return "taken"
    variant = Variant.objects.select_related("post", "channel").get(pk=variant_id)
    try:
        external_id = adapters.adapter_for(variant.channel, post=variant.post).publish(message_for(variant))
    except adapters.ChannelError as exc:
        state, next_at = rules.after_failure(attempts=variant.attempts, kind=exc.kind, now=now,
                                             retry_after=exc.retry_after)
        return _settle(variant, state=state, next_at=next_at, error=f"[{exc.kind}] {exc.detail}", now=now)
    except Exception as exc:  # a bug or an unreadable token must not leave the variant "sending" for ever
        log.exception("comms: variant %s could not be sent", variant_id)
        return _settle(variant, state=Variant.State.FAILED, next_at=None,
                       error=f"[error] {type(exc).__name__}", now=now)
    return _settle(variant, state=Variant.State.PUBLISHED, next_at=None, error="", now=now, external_id=external_id)


@transaction.atomic
def _settle(variant: Variant, *, state: str, next_at, error: str, now: datetime, external_id: str = "") -> str:
    post = Post.objects.select_for_update().get(pk=variant.post_id)
    variant = Variant.objects.select_for_update().get(pk=variant.pk)
    variant.state, variant.next_attempt_at, variant.last_error = state, next_at, error[:500]
    variant.claimed_at = None
    if state == Variant.State.PUBLISHED:
        variant.external_id, variant.published_at = external_id, now
    audit(variant, None, state).save()
    channel = variant.channel.name
    _record(post, f"variant_{state}", None, now, f"{channel}: {error}" if error else channel)
    overall = rules.post_state(list(post.variants.values_list("state", flat=True)))
    if overall and overall != post.status:
        post.status = overall
        if overall == Post.Status.PUBLISHED:
            post.published_at = now
        audit(post, None, overall).save()
        _record(post, overall, None, now)
    return state


@transaction.atomic
def release_stale(*, now: datetime) -> int:
    """Variants left "sending" by a worker that died: back to retry where the key makes a repeat harmless,
    failed ("check the channel") where a repeat could publish twice."""
    count = 0
    for variant in (Variant.objects.select_for_update(skip_locked=True)
                    .filter(state=Variant.State.SENDING, claimed_at__lt=now - STALE_AFTER).select_related("channel")):
        honoured = adapters.adapter_for(variant.channel).key_is_honoured
        _settle(variant, state=Variant.State.RETRY if honoured else Variant.State.FAILED,
                next_at=now if honoured else None, now=now,
                error="[unknown] the worker stopped while sending; check the channel before trying again")
        count += 1
    return count


# ---- reach ----------------------------------------------------------------------------------------

def _store_reach(variant: Variant, figures: adapters.Figures, origin: str, now: datetime) -> Reach:
    reach, _created = Reach.objects.update_or_create(variant=variant, defaults={
        "reach": figures.reach, "impressions": figures.impressions, "reactions": figures.reactions,
        "comments": figures.comments, "shares": figures.shares, "clicks": figures.clicks, "origin": origin,
        "imported_at": now})
    return reach


def import_reach(*, channel: Channel | None = None, since: datetime | None = None,
                 now: datetime | None = None) -> tuple[int, list[str]]:
    """Fetch the figures of published variants (of ``channel``, published since ``since``) from the channels.

    Return how many were updated and the errors (one line per variant that failed; others go on).
    """
    now = now or timezone.now()
    rows = Variant.objects.filter(state=Variant.State.PUBLISHED).exclude(channel__kind="website") \
        .select_related("channel")
    if channel is not None:
        rows = rows.filter(channel=channel)
    if since is not None:
        rows = rows.filter(published_at__gte=since)
    done, errors = 0, []
    for variant in rows:
        try:
            figures = adapters.adapter_for(variant.channel).figures(variant.external_id)
        except adapters.ChannelError as exc:
            errors.append(f"{variant.channel.name} {variant.external_id}: {exc.detail}")
            continue
        with transaction.atomic():
            _store_reach(variant, figures, Reach.Origin.API, now)
        done += 1
    return done, errors


META_COLUMNS = {"reach": ("Reach", "การเข้าถึง"), "impressions": ("Impressions", "การแสดงผล"),
                "reactions": ("Reactions", "การแสดงความรู้สึก"), "comments": ("Comments", "ความคิดเห็น"),
                "shares": ("Shares", "การแชร์"), "clicks": ("Total clicks", "การคลิกทั้งหมด")}
META_ID = ("Post ID", "ID โพสต์")


def _number(value: str) -> int:
    value = (value or "").replace(",", "").strip()
    try:
        return max(int(float(value)), 0) if value else 0
    except ValueError:
        return 0


@transaction.atomic
def import_meta_csv(*, data: bytes, by=None, now: datetime | None = None) -> tuple[int, list[str]]:
    """Import a Meta Business Suite post export (CSV, English or Thai headings) into the Facebook variants.

    Rows are matched by post ID (Meta's ``Post ID`` is the part after the page ID of the Graph ID).
    Return how many variants were updated and the post IDs that matched none of ours.
    """
    now = now or timezone.now()
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    headings = set(reader.fieldnames or [])
    id_column = next((c for c in META_ID if c in headings), None)
    if id_column is None:
        raise BadCsv(column=META_ID[0], field="file")
    columns = {}
    for key, names in META_COLUMNS.items():
        columns[key] = next((c for c in names if c in headings), None)
    if columns["reach"] is None:
        raise BadCsv(column="Reach", field="file")
    published = {v.external_id: v for v in Variant.objects.filter(
        channel__kind=Channel.Kind.FACEBOOK, state=Variant.State.PUBLISHED).select_related("channel")}
    by_suffix = {key.rsplit("_", 1)[-1]: v for key, v in published.items()}
    done, unknown = 0, []
    for row in reader:
        post_id = (row.get(id_column) or "").strip()
        if not post_id:
            continue
        variant = published.get(post_id) or by_suffix.get(post_id.rsplit("_", 1)[-1])
        if variant is None:
            unknown.append(post_id)
            continue
        figures = adapters.Figures(**{key: _number(row.get(col, "")) if col else 0 for key, col in columns.items()})
        _store_reach(variant, figures, Reach.Origin.CSV, now)
        done += 1
    return done, unknown


# ---- channels -------------------------------------------------------------------------------------

@transaction.atomic
def save_channel(*, by, channel: Channel, token: str | None = None) -> Channel:
    """Save ``channel``; a non-empty ``token`` replaces the stored one (encrypted); None keeps it."""
    require(by, "comms.manage_channel", channel.branch)
    if token:
        channel.set_token(token.strip())
    audit(channel, by, "channel saved").save()
    return channel
