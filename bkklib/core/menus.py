"""The staff home page's menu: each app lists its pages in a ``menu`` module.

A ``menu`` module defines ``ITEMS``: a list of ``MenuItem`` (label, URL name, permission). The
home page shows a user the items whose permission they hold, so each role sees its own work.
"""
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    perm: str | None = None
    description: str = ""
    icon: str = ""


def items_for(user) -> list[dict]:
    """Return the menu items ``user`` may open, grouped in app order."""
    result = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            items = import_string(f"{config.name}.menu.ITEMS")
        except ImportError:
            continue
        for item in items:
            if item.perm and not user.has_perm(item.perm):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            result.append({"label": item.label, "url": url, "description": item.description, "app": config.label,
                           "app_name": config.verbose_name, "icon": item.icon})
    return result
