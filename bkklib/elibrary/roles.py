"""Permissions of the e-library for each staff role (the e-library belongs to the whole network, no branch)."""
from bkklib.core import roles

_VIEW = ["elibrary.view_title", "elibrary.view_licence", "elibrary.view_eloan", "elibrary.view_ehold",
         "elibrary.view_collection", "elibrary.view_campaign", "elibrary.view_lendingpolicy"]
_PROMOTE = ["elibrary.add_collection", "elibrary.change_collection", "elibrary.add_campaign",
            "elibrary.change_campaign"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [
        *_VIEW, *_PROMOTE, "elibrary.add_title", "elibrary.change_title", "elibrary.add_licence",
        "elibrary.change_licence", "elibrary.delete_collection", "elibrary.delete_campaign",
        "elibrary.add_lendingpolicy", "elibrary.change_lendingpolicy", "elibrary.add_eloan", "elibrary.change_eloan",
        "elibrary.add_ehold", "elibrary.change_ehold",
    ],
    roles.BRANCH_LIBRARIAN: [*_VIEW, *_PROMOTE, "elibrary.add_eloan", "elibrary.change_eloan", "elibrary.add_ehold",
                             "elibrary.change_ehold"],
    roles.BRANCH_STAFF: ["elibrary.view_title", "elibrary.view_collection", "elibrary.view_campaign"],
    roles.EXECUTIVE_VIEWER: ["elibrary.view_title", "elibrary.view_licence", "elibrary.view_eloan"],
}
