"""Drafts from the library's own data: an activity, a festival month, new books of the month, an e-book
collection or a website news post becomes a post with text, link, image and the standard hashtags.

comms sits above events, elibrary, opac and catalog in the layers; it only reads their tables.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import BE_OFFSET, MONTHS_TH, thai_date
from bkklib.core.exceptions import NotFound

from . import queries, rules, services
from .models import Post

SOURCES = ("activity", "festival", "new_books", "collection", "news")
MAX_BOOKS = 8


@dataclass
class Draft:
    title: str
    text: str
    link: str = ""
    image_url: str = ""
    image_alt_th: str = ""
    hashtags: tuple[str, ...] = ()
    branch: object = None


def month_name(month: date) -> str:
    """``มิถุนายน 2568``."""
    return f"{MONTHS_TH[month.month - 1]} {month.year + BE_OFFSET}"


def _site(path: str) -> str:
    return settings.BKKLIB["SITE_URL"].rstrip("/") + path


def _clip(text: str, n: int = 600) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def from_activity(pk) -> Draft:
    from bkklib.events.models import Activity

    activity = Activity.objects.select_related("branch", "festival").filter(pk=pk).first()
    if activity is None:
        raise NotFound(_("There is no such activity."), code="no_source")
    now = timezone.now()
    sessions = list(activity.sessions.filter(cancelled=False, starts_at__gte=now).order_by("starts_at")[:3]) \
        or list(activity.sessions.filter(cancelled=False).order_by("-starts_at")[:1])
    lines = [_clip(activity.description)] if activity.description else []
    for s in sessions:
        start = timezone.localtime(s.starts_at)
        lines.append(_("When: {day} {start}–{end}").format(day=thai_date(start.date(), long=True), start=f"{start:%H:%M}",
                                                         end=f"{timezone.localtime(s.ends_at):%H:%M}"))
    if activity.where:
        lines.append(_("Where: {place}").format(place=activity.where))
    if activity.audience:
        lines.append(_("For: {audience}").format(audience=activity.audience))
    if activity.registration == Activity.Registration.REQUIRED:
        lines.append(_("Register at the link below."))
    else:
        lines.append(_("Free, no registration needed."))
    tags = ["กิจกรรมห้องสมุด"]
    return Draft(title=activity.title, text="\n".join(lines), link=_site(reverse("events:detail", args=[activity.pk])),
                 image_url=_site(activity.image.url) if activity.image else "",
                 image_alt_th=_("Poster of the activity “{title}”").format(title=activity.title) if activity.image else "",
                 hashtags=tuple(tags), branch=activity.branch)


def from_festival(pk) -> Draft:
    from bkklib.events.models import Festival

    festival = Festival.objects.filter(pk=pk).first()
    if festival is None:
        raise NotFound(_("There is no such festival."), code="no_source")
    activities = list(festival.activities.filter(status="published").select_related("branch").order_by("title")[:6])
    lines = [_("{name}: {start} – {end}").format(name=festival.name_th, start=thai_date(festival.starts_on, long=True),
                                                 end=thai_date(festival.ends_on, long=True))]
    if festival.theme:
        lines.append(_clip(festival.theme, 400))
    if activities:
        lines.append(_("Activities in the libraries:"))
        lines += [f"• {a.title} ({a.where})" if a.where else f"• {a.title}" for a in activities]
    return Draft(title=festival.name_th, text="\n".join(lines), link=_site(reverse("events:list")),
                 hashtags=("เทศกาลห้องสมุด",))


def _month_of(key) -> date:
    try:
        return date.fromisoformat(f"{key}-01") if len(str(key)) == 7 else date.fromisoformat(str(key)).replace(day=1)
    except ValueError:
        raise NotFound(_("Give the month as YYYY-MM."), code="no_source") from None


def from_new_books(key, branch=None) -> Draft:
    from bkklib.catalog.models import Item, Record

    month = _month_of(key)
    end = (month + timedelta(days=32)).replace(day=1)
    items = Item.objects.filter(Q(acquired_on__gte=month, acquired_on__lt=end)
                                | Q(acquired_on__isnull=True, created_at__gte=queries.aware(month),
                                    created_at__lt=queries.aware(end)))
    if branch is not None:
        items = items.filter(branch=branch)
    records = list(Record.objects.filter(pk__in=items.values("record_id")).exclude(title="").order_by("-pk")[:MAX_BOOKS])
    if not records:
        raise NotFound(_("No new books were added in {month}.").format(month=month_name(month)),
                       code="no_new_books")
    where = branch.name_th if branch is not None else _("the libraries of Bangkok")
    lines = [_("New books of {month} at {where}:").format(month=month_name(month), where=where)]
    lines += [f"• {_clip(r.title.rstrip(' /:'), 90)}" for r in records]
    lines.append(_("Borrow them at the library or reserve them on the website."))
    return Draft(title=_("New books of {month}").format(month=month_name(month)), text="\n".join(lines),
                 link=_site(reverse("opac:search")), hashtags=("หนังสือใหม่",), branch=branch)


def from_collection(slug) -> Draft:
    from bkklib.elibrary.models import Collection

    collection = Collection.objects.filter(slug=slug).first()
    if collection is None:
        raise NotFound(_("There is no such e-book collection."), code="no_source")
    titles = list(collection.titles.filter(withdrawn=False).order_by("title")[:MAX_BOOKS])
    lines = [_clip(collection.description, 400)] if collection.description else []
    lines += [f"• {_clip(t.title, 90)}" for t in titles]
    lines.append(_("Read free with your library card, on the phone or the computer."))
    return Draft(title=collection.name, text="\n".join(lines),
                 link=_site(reverse("elibrary:collection", args=[collection.slug])), hashtags=("อีบุ๊ก", "ห้องสมุดออนไลน์"))


def from_news(pk) -> Draft:
    from bkklib.opac.models import NewsPost

    news = NewsPost.objects.filter(pk=pk).first()
    if news is None:
        raise NotFound(_("There is no such news post."), code="no_source")
    return Draft(title=news.title_th, text=_clip(news.body_th, 1200),
                 link=_site(reverse("opac:news-detail", args=[news.slug])),
                 image_url=_site(news.image.url) if news.image else "", image_alt_th=news.image_alt_th if news.image else "",
                 hashtags=tuple(news.hashtags.split()), branch=news.branch)


def build(source: str, source_id, *, branch=None) -> Draft:
    if source in ("activity", "festival", "news") and not str(source_id).isdigit():
        raise NotFound(_("There is no such source for a draft."), code="no_source")
    if source == "activity":
        return from_activity(source_id)
    if source == "festival":
        return from_festival(source_id)
    if source == "new_books":
        return from_new_books(source_id, branch)
    if source == "collection":
        return from_collection(source_id)
    if source == "news":
        return from_news(source_id)
    raise NotFound(_("There is no such source for a draft."), code="no_source")


def create_draft(*, source: str, source_id, by, branch=None, publish_at: datetime | None = None,
                 now: datetime | None = None) -> Post:
    """One click: turn a source into a draft post for the channels of its branch and the division's."""
    draft = build(source, source_id, branch=branch)
    branch = draft.branch if draft.branch is not None else branch
    tags = rules.merge_hashtags(list(draft.hashtags), queries.standard_hashtags())
    channels = list(queries.channels_for(by, branch))
    text = draft.text
    # X takes 280: shorten the master text rather than make an over-long draft the author must fix first.
    if any(c.kind == "x" for c in channels):
        budget = rules.LIMITS["x"] - rules.x_length(rules.compose(text="", link=draft.link, hashtags=tags)) - 4
        if rules.x_length(text) > budget:
            text = None
    variants = {}
    if text is None:
        short = _clip(draft.title + " " + draft.text.split("\n")[0], 120)
        for c in channels:
            if c.kind == "x":
                variants[c.pk] = rules.compose(text=short, link=draft.link, hashtags=tags[:3])
        text = draft.text
    return services.save_post(by=by, title=draft.title, text=text, link=draft.link, hashtags=" ".join(tags),
                              branch=branch, channels=channels, image_url=draft.image_url,
                              image_alt_th=draft.image_alt_th, variants=variants, source=source,
                              source_id=str(source_id), publish_at=publish_at, now=now)
