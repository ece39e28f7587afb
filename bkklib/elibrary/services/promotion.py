"""Promotion: collections and campaigns (saved with their history), QR posters and social-media text."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bkklib.core import history

from ..models import Campaign, Collection


def save_collection(collection: Collection, *, titles=None, user=None) -> Collection:
    with transaction.atomic():
        history.audit(collection, user, _("collection saved"))
        collection.save()
        if titles is not None:
            collection.titles.set(titles)
    return collection


def save_campaign(campaign: Campaign, *, titles=None, user=None) -> Campaign:
    with transaction.atomic():
        history.audit(campaign, user, _("campaign saved"))
        campaign.save()
        if titles is not None:
            campaign.titles.set(titles)
    return campaign


def add_titles(collection: Collection, titles, *, user=None) -> Collection:
    with transaction.atomic():
        history.audit(collection, user, _("titles added"))
        collection.save()
        collection.titles.add(*titles)
    return collection
