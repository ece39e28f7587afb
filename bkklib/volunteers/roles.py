"""Permissions of the volunteers app per staff role (where: the staff member's branches, network.access).

Sensitive fields (national ID, address, health notes) are for the branch librarian and network admins
only (``volunteers.view_sensitive``); branch staff run the roster and the desk without them. Volunteers
themselves hold only ``add_signup`` (the API's sign-up); their own pages check that the record is theirs.
"""
from bkklib.core import roles

_DESK = ["volunteers.view_volunteer", "volunteers.view_shift", "volunteers.view_signup", "volunteers.change_signup",
         "volunteers.view_swap",
         "volunteers.view_agreement", "volunteers.view_call", "volunteers.view_application"]
_MANAGE = [*_DESK, "volunteers.view_sensitive", "volunteers.approve_hours", "volunteers.manage_welfare",
           "volunteers.evaluate_volunteer", "volunteers.decide_application", "volunteers.add_shift",
           "volunteers.change_shift", "volunteers.add_agreement", "volunteers.change_agreement",
           "volunteers.add_call", "volunteers.change_call", "volunteers.view_evaluation",
           "volunteers.view_welfarerecord", "volunteers.add_welfarerecord"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_MANAGE, "volunteers.erase_volunteer",
                          *(f"volunteers.{verb}_{model}" for verb in ("add", "change", "view")
                            for model in ("criteria", "role", "benefit", "evaluationform"))],
    roles.BRANCH_LIBRARIAN: _MANAGE,
    roles.BRANCH_STAFF: _DESK,
    roles.EXECUTIVE_VIEWER: ["volunteers.view_call"],
    # Signing up through the API; the services check that the shift fits the volunteer's own agreement.
    # Asking and answering swaps likewise: the services check the sign-up is theirs and the placement.
    roles.VOLUNTEER: ["volunteers.add_signup", "volunteers.add_swap"],
}
