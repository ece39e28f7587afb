"""Promotion: curated collections and campaigns shown on the home page and /elibrary/."""
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .titles import Title


class CollectionQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured=True)


class Collection(models.Model):
    """A curated list of titles ("Thai novels for the rainy season")."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    titles = models.ManyToManyField(Title, related_name="collections", blank=True, verbose_name=_("titles"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-featured", "name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="elibrary_collection_has_name",
                                              violation_error_message=_("A collection needs a name."))]

    def __str__(self):
        return self.name


class CampaignQuerySet(models.QuerySet):
    def running(self, today):
        return self.filter(starts_on__lte=today, ends_on__gte=today)


class Campaign(models.Model):
    """A promotion with dates ("Read for Bangkok week"): a collection or titles, featured or not.

    ``festival`` is a free-text label until the events app exists; it will become a link to a festival then.
    """

    name = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    featured = models.BooleanField(_("featured on the home page"), default=False)
    festival = models.CharField(_("festival"), max_length=200, null=True, blank=True,
                                help_text=_("The festival this campaign belongs to, if any."))
    collection = models.ForeignKey(Collection, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="campaigns", verbose_name=_("collection"))
    titles = models.ManyToManyField(Title, related_name="campaigns", blank=True, verbose_name=_("titles"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="elibrary_campaign_dates_in_order",
                                   violation_error_message=_("A campaign cannot end before it starts.")),
            models.CheckConstraint(condition=~Q(name=""), name="elibrary_campaign_has_name",
                                   violation_error_message=_("A campaign needs a title.")),
        ]

    def __str__(self):
        return self.name
