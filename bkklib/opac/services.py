"""Verbs of the public website's own data: write, publish, schedule and withdraw news posts."""
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput

from . import rules
from .models import NewsPost


def unique_slug(title_en: str, *, when: datetime, exclude_pk: int | None = None) -> str:
    """Return a free ASCII slug from the English title, or ``news-YYYYMMDD`` for a Thai-only post.

    ASCII keeps shared links readable: a Thai slug becomes a long run of %-escapes once copied.
    """
    base = slugify(title_en)[:60].strip("-") or f"news-{timezone.localtime(when):%Y%m%d}"
    candidate, n = base, 1
    others = NewsPost.objects.exclude(pk=exclude_pk) if exclude_pk else NewsPost.objects.all()
    while others.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def normalise_hashtags(text: str) -> str:
    """Return the hashtags of ``text`` as stored (space-separated, no "#"); raise InvalidInput naming a bad tag."""
    try:
        return " ".join(rules.parse_hashtags(text))
    except rules.HashtagError as exc:
        raise InvalidInput(
            _("The hashtag “{tag}” may only contain letters, digits and “_” (no spaces, punctuation or emoji), "
              "at most {max} characters."),
            code="bad_hashtag", field="hashtags", tag=exc.tag, max=rules.MAX_HASHTAG_LENGTH,
        ) from None


@transaction.atomic
def publish(post: NewsPost, *, at: datetime | None = None, now: datetime | None = None) -> NewsPost:
    """Publish ``post`` now, or schedule it for ``at``; return it.

    A post without Thai title or text cannot be published (the site is Thai first).
    """
    now = now or timezone.now()
    post = NewsPost.objects.select_for_update().get(pk=post.pk)
    if not post.title_th.strip() or not post.body_th.strip():
        raise InvalidInput(
            _("“{title}” cannot be published without a Thai title and Thai text."),
            code="news_missing_thai", title=post.title_th or post.title_en or post.slug,
        )
    if post.title_en.strip() and not post.body_en.strip():
        raise InvalidInput(
            _("“{title}” has an English title but no English text: add the text or clear the title."),
            code="news_missing_english_body", field="body_en", title=post.title_th,
        )
    post.status = NewsPost.Status.PUBLISHED
    post.publish_at = at or now
    post.save(update_fields=["status", "publish_at", "updated_at"])
    return post


@transaction.atomic
def unpublish(post: NewsPost) -> NewsPost:
    """Take ``post`` off the site (back to draft); raise Conflict when it is a draft already."""
    post = NewsPost.objects.select_for_update().get(pk=post.pk)
    if post.status == NewsPost.Status.DRAFT:
        raise Conflict(_("“{title}” is not published."), code="news_not_published", title=post.title_th)
    post.status = NewsPost.Status.DRAFT
    post.save(update_fields=["status", "updated_at"])
    return post
