"""Permissions of the public website's staff pages, per role (collected by ``core.roles``).

``pr_editor`` is the division's PR team: it writes and publishes news and edits the info pages.
"""
from bkklib.core.roles import BRANCH_LIBRARIAN, NETWORK_ADMIN

PR_EDITOR = "pr_editor"
NEWS_WRITE = ["opac.view_newspost", "opac.add_newspost", "opac.change_newspost"]
NEWS_PUBLISH = ["opac.publish_newspost", "opac.delete_newspost", "opac.view_infopage", "opac.change_infopage"]

PERMISSIONS = {
    PR_EDITOR: NEWS_WRITE + NEWS_PUBLISH,
    NETWORK_ADMIN: NEWS_WRITE + NEWS_PUBLISH,
    # Librarians write news of their library; PR reviews and publishes it.
    BRANCH_LIBRARIAN: NEWS_WRITE,
}
