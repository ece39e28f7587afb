"""Permissions of the network app for each staff role.

"Where" a permission applies comes from dated assignments (``access.py``); network admins hold
``network.act_at_all_branches`` and so act everywhere.
"""
from bkklib.core import roles

_ADMIN_MODELS = (
    "branch", "openingperiod", "closure", "staffmember", "assignment", "service", "district", "staffinglevel",
    "orgversion", "orgunit", "position", "unitbranch",
)
_STRUCTURE_VIEW = ["network.view_orgversion", "network.view_orgunit", "network.view_position"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [
        "network.act_at_all_branches", "network.verify_branch", "network.view_staff_personal",
        *(f"network.{verb}_{model}" for verb in ("add", "change", "delete", "view") for model in _ADMIN_MODELS),
    ],
    roles.BRANCH_LIBRARIAN: [
        "network.view_branch", "network.change_branch", "network.verify_branch",
        "network.view_openingperiod", "network.add_openingperiod", "network.change_openingperiod",
        "network.delete_openingperiod", "network.view_closure", "network.add_closure", "network.change_closure",
        "network.delete_closure", "network.view_staffmember", "network.view_assignment",
        "network.view_staffinglevel", *_STRUCTURE_VIEW,
    ],
    roles.BRANCH_STAFF: ["network.view_branch", "network.view_openingperiod", "network.view_closure"],
    roles.EXECUTIVE_VIEWER: [
        "network.view_branch", "network.view_staffmember", "network.view_assignment", "network.view_staffinglevel",
        *_STRUCTURE_VIEW,
    ],
    roles.VOLUNTEER: ["network.view_branch"],
}
