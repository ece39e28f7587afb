"""Public news pages and the RSS/Atom feeds."""
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import clock, queries

NEWS_PAGE_SIZE = 10


def news_list(request):
    """The news list, newest first, optionally by hashtag (``?tag=``)."""
    posts = queries.visible_news(clock.now())
    tag = request.GET.get("tag", "").lstrip("#").strip()[:60]
    if tag:
        # Tags are stored space-separated: match a whole tag, not a fragment of one.
        posts = posts.filter(
            Q(hashtags=tag) | Q(hashtags__startswith=f"{tag} ") | Q(hashtags__endswith=f" {tag}")
            | Q(hashtags__contains=f" {tag} ")
        )
    page = Paginator(posts, NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "opac/news_list.html", {"page": page, "tag": tag})


def news_detail(request, slug):
    """One news post; drafts and scheduled posts are not found until they are published."""
    post = queries.visible_news(clock.now()).filter(slug=slug).prefetch_related("images").first()
    if post is None:
        raise Http404(_("No published news post at this address."))
    return render(request, "opac/news_detail.html", {"post": post, "images": list(post.images.all())})


class NewsFeed(Feed):
    """RSS 2.0 feed of the latest published news (``/news/feed/``); Atom at ``/news/feed/atom/``."""

    description_template = "opac/feed_description.html"

    def title(self):
        return _("News of Bangkok's public libraries")

    def link(self):
        return reverse("opac:news")

    def description(self):
        return _("News, activities and announcements of the BMA public libraries and reading houses.")

    def feed_url(self):
        return reverse("opac:news-feed")

    def language(self):
        return translation.get_language() or settings.LANGUAGE_CODE

    def items(self):
        return queries.visible_news(clock.now())[:30]

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return item.tag_list

    def item_guid(self, item):
        return f"{settings.BKKLIB['SITE_URL'].rstrip('/')}/news/{item.pk}"

    item_guid_is_permalink = False


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description

    def feed_url(self):
        return reverse("opac:news-feed-atom")


news_feed = NewsFeed()
news_feed_atom = AtomNewsFeed()
