"""sitemap.xml: the public pages search engines should know (Django's sitemaps framework)."""
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bkklib.catalog.models import Record

from . import clock, queries
from .models import InfoPage


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["opac:home", "opac:libraries", "opac:news"]

    def location(self, item):
        return reverse(item)


class InfoPageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return InfoPage.objects.order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


class BranchSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return queries.public_branches().order_by("code")

    def location(self, obj):
        return reverse("opac:library-detail", args=[obj.code])

    def lastmod(self, obj):
        return obj.updated_at


class NewsSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return queries.visible_news(clock.now())

    def lastmod(self, obj):
        return obj.updated_at


class RecordSitemap(Sitemap):
    """Every catalogue record, paginated by Django (50,000 addresses per file, listed in the index)."""

    changefreq = "weekly"
    priority = 0.5
    limit = 50000

    def items(self):
        return Record.objects.order_by("pk").only("pk", "updated_at")

    def location(self, obj):
        return reverse("opac:record", args=[obj.pk])

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "info": InfoPageSitemap,
    "libraries": BranchSitemap,
    "news": NewsSitemap,
    "records": RecordSitemap,
}
