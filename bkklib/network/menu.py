"""The network app's pages and to-dos on the staff home page (shown to users holding each permission)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem

ITEMS = [
    MenuItem(_("Branches"), "network:branch-list", "network.view_branch",
             _("Basic data, opening hours, closures and services of your branches.")),
    MenuItem(_("Data freshness"), "network:freshness", "network.verify_branch",
             _("Branches whose data must be checked and confirmed correct.")),
    MenuItem(_("Staff coverage"), "network:coverage", "network.view_assignment",
             _("Days below the minimum staff level, and secondments to cover them.")),
    MenuItem(_("Organisation structure"), "network:org-chart", "network.view_orgunit",
             _("The division's structure in force, and drafted restructurings.")),
    MenuItem(_("Staff"), "network:staff-list", "network.view_staffmember",
             _("Staff members of your branches and their posts."), nav=False),
]

TODOS = [
    TodoItem(_("Branch data to confirm"), "network:freshness", "bkklib.network.queries.count_stale_branches",
             "network.verify_branch", _("Not confirmed within the freshness window, or changed since.")),
]
