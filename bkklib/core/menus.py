"""The staff home page: each app lists its pages, its to-dos and its scan target in a ``menu`` module.

A ``menu`` module defines ``ITEMS``: a list of ``MenuItem`` (label, URL name, permission); it may
define ``TODOS``: a list of ``TodoItem`` (work waiting at a desk, counted by the app's own query),
and ``SCAN``: a ``ScanTarget`` for the home page's card and barcode box. The home page shows a user
the entries whose permission they hold, so each role sees its own work, and a lower app's home page
never imports a higher app.
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
    nav: bool = True  # also in the bar at the top of the app's pages (False: on the staff home only)


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
                           "app_name": config.verbose_name, "icon": item.icon, "nav": item.nav})
    return result


def nav_for(user, app_label: str | None) -> list[dict]:
    """Return the bar of an app's staff pages: its ``menu.ITEMS`` marked ``nav`` that ``user`` may open.

    The staff shell's base template shows it on every page of the app (``app_label`` is the URL
    namespace, which is the app's label); no template lists an app's pages by hand.
    """
    if not app_label:
        return []
    return [item for item in items_for(user) if item["app"] == app_label and item["nav"]]


@dataclass(frozen=True)
class TodoItem:
    """One kind of work waiting at a desk, with how many and the list where it is handled.

    ``count`` is the dotted path of a function ``(*, user, branch, today) -> int`` in the
    contributing app (usually its ``queries`` module) that counts what the linked list shows: each
    app counts its own work, so the staff home of a lower app (network) shows circulation's figures
    without importing circulation.
    """

    label: str
    url_name: str
    count: str
    perm: str | None = None
    description: str = ""
    query: str = ""  # appended to the list's URL (``?branch={branch}`` is filled with the desk's id)


def todos_for(user, branch, today) -> list[dict]:
    """Return the to-dos ``user`` may handle at ``branch`` on ``today``, with their counts, in app order.

    Apps list them in ``TODOS`` in their ``menu`` module. Nothing is counted without a desk branch.
    """
    if branch is None:
        return []
    result = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            todos = import_string(f"{config.name}.menu.TODOS")
        except ImportError:
            continue
        for todo in todos:
            if todo.perm and not user.has_perm(todo.perm):
                continue
            try:
                url = reverse(todo.url_name)
            except NoReverseMatch:
                continue
            if todo.query:
                url = f"{url}?{todo.query.format(branch=branch.pk)}"
            count = import_string(todo.count)(user=user, branch=branch, today=today)
            result.append({"label": todo.label, "url": url, "count": count, "description": todo.description,
                           "app": config.label})
    return result


@dataclass(frozen=True)
class ScanTarget:
    """Where the staff home's scan box sends a scanned card or barcode (``GET url?{param}=value``)."""

    label: str
    url_name: str
    param: str
    perm: str | None = None
    help: str = ""


def scan_target_for(user) -> dict | None:
    """Return the first app's ``SCAN`` target ``user`` may use (label, url, param, help), or None."""
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            target = import_string(f"{config.name}.menu.SCAN")
        except ImportError:
            continue
        if target.perm and not user.has_perm(target.perm):
            continue
        try:
            url = reverse(target.url_name)
        except NoReverseMatch:
            continue
        return {"label": target.label, "url": url, "param": target.param, "help": target.help}
    return None


@dataclass(frozen=True)
class RecordTool:
    """A link a higher app adds to a catalog record's page (copy cataloguing...): ``query`` is appended
    to the URL with ``{id}`` filled with the record's id."""

    label: str
    url_name: str
    perm: str | None = None
    query: str = ""


def record_tools_for(user, record_id: int) -> list[dict]:
    """Return the record tools (label, url) of every app's ``RECORD_TOOLS`` that ``user`` may use."""
    result = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            tools = import_string(f"{config.name}.menu.RECORD_TOOLS")
        except ImportError:
            continue
        for tool in tools:
            if tool.perm and not user.has_perm(tool.perm):
                continue
            try:
                url = reverse(tool.url_name)
            except NoReverseMatch:
                continue
            result.append({"label": tool.label, "url": f"{url}?{tool.query.format(id=record_id)}" if tool.query else url})
    return result
