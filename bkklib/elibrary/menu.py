"""The e-library's entries: staff home (ITEMS, TODOS) and the public site (PUBLIC_LINKS, ACCOUNT_SECTIONS, HOME_SECTIONS)."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem
from bkklib.core.public import PublicLink, Section

ITEMS = [
    MenuItem(_("e-Library"), "elibrary_staff:dashboard", "elibrary.view_title",
             _("E-books and audiobooks: add files, licences, collections and campaigns, QR posters, statistics.")),
]

TODOS = [
    TodoItem(_("e-Book licences to renew soon"), "elibrary_staff:licences",
             "bkklib.elibrary.queries.count_licences_needing_attention", "elibrary.view_licence",
             _("Ending within 30 days or with at most a tenth of their loans left (the whole network).")),
]

PUBLIC_LINKS = [PublicLink(_("e-Library"), "elibrary:home", order=30)]

ACCOUNT_SECTIONS = [
    Section("elibrary-loans", "elibrary/partials/account_section.html", "bkklib.elibrary.menu.account_context", order=10),
]

HOME_SECTIONS = [
    Section("elibrary-featured", "elibrary/partials/home_section.html", "bkklib.elibrary.menu.home_context", order=10,
            cache_seconds=300),
]


def account_context(patron, today):
    """The patron's e-loans and e-holds, shown beside their print loans (always: it says "none" too)."""
    from . import queries

    return {"loans": list(queries.loans_of(patron)), "holds": queries.holds_of(patron)}


def home_context(today):
    """Featured collections and running featured campaigns; None when there is nothing to feature."""
    from . import queries

    collections = list(queries.collections(featured_only=True)[:6])
    campaigns = list(queries.running_campaigns(today or timezone.localdate(), featured_only=True)[:3])
    if not collections and not campaigns:
        return None
    return {"collections": collections, "campaigns": campaigns}
