"""Permissions of the circulation app for each staff role.

Where a permission applies comes from the staff member's assignments (``network.access``): desk
verbs need the permission at the desk branch; lending itself is never limited to a branch's own
items or patrons (one card and one collection for the whole network).
"""
from bkklib.core import roles

_DESK = [
    "circulation.view_patron", "circulation.add_patron", "circulation.change_patron",
    "circulation.view_loan", "circulation.add_loan", "circulation.change_loan",
    "circulation.view_hold", "circulation.add_hold", "circulation.change_hold",
    "circulation.view_fine", "circulation.add_fine", "circulation.view_receipt", "circulation.add_receipt",
    "circulation.view_transit", "circulation.view_loanpolicy", "circulation.view_patroncategory",
    "circulation.view_cashupsignoff", "circulation.add_cashupsignoff",
]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [
        *_DESK, "circulation.approve_patron", "circulation.block_patron", "circulation.waive_fine",
        "circulation.export_patron", "circulation.erase_patron", "circulation.view_notice",
        *(f"circulation.{verb}_{model}" for verb in ("add", "change", "delete", "view")
          for model in ("loanpolicy", "patroncategory", "feetier", "circulationsettings")),
    ],
    roles.BRANCH_LIBRARIAN: [
        *_DESK, "circulation.approve_patron", "circulation.block_patron", "circulation.waive_fine",
        "circulation.export_patron", "circulation.erase_patron", "circulation.view_notice",
    ],
    roles.BRANCH_STAFF: [*_DESK, "circulation.approve_patron"],
    roles.EXECUTIVE_VIEWER: ["circulation.view_loanpolicy", "circulation.view_patroncategory"],
    roles.VOLUNTEER: ["circulation.view_hold", "circulation.view_transit"],
}
