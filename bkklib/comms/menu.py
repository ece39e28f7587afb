"""Comms on the staff home page (core/menus.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem

ITEMS = [
    MenuItem(_("Content calendar"), "comms:calendar", "comms.view_post",
             _("Posts for Facebook, LINE, X and the website by month or week, per branch or for the division.")),
    MenuItem(_("New post"), "comms:post-new", "comms.add_post",
             _("Write a post, or draft one from an activity, a festival, new books, e-books or news.")),
    MenuItem(_("Posts to review"), "comms:review", "comms.approve_post",
             _("Posts colleagues sent for review: approve, schedule or return them.")),
    MenuItem(_("Social media report"), "comms:report", "comms.view_comms_report",
             _("Posts, reach and engagement per channel and branch each month; import reach; XLSX.")),
    MenuItem(_("Channels"), "comms:channels", "comms.view_channel",
             _("Facebook pages, LINE Official Accounts, X accounts and the website's news.")),
]

TODOS = [
    TodoItem(_("Posts waiting for review"), "comms:review", "bkklib.comms.queries.count_awaiting_review",
             "comms.approve_post"),
    TodoItem(_("Posts that failed to publish"), "comms:calendar", "bkklib.comms.queries.count_failed",
             "comms.view_post", query="status=failed"),
]
