"""Permissions of the spaces app for each staff role (where: the staff member's branches, network.access)."""
from bkklib.core import roles

_DESK = ["spaces.view_space", "spaces.view_booking", "spaces.add_booking", "spaces.change_booking",
         "spaces.view_spacerule", "spaces.view_bookingsuspension"]
_MANAGE = [*_DESK, "spaces.approve_booking", "spaces.block_space", "spaces.view_space_report",
           "spaces.add_space", "spaces.change_space", "spaces.add_bookingsuspension",
           "spaces.change_bookingsuspension"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_MANAGE, "spaces.delete_space",
                          *(f"spaces.{verb}_spacerule" for verb in ("add", "change", "delete"))],
    roles.BRANCH_LIBRARIAN: _MANAGE,
    roles.BRANCH_STAFF: _DESK,
    roles.EXECUTIVE_VIEWER: ["spaces.view_space", "spaces.view_space_report"],
    roles.VOLUNTEER: ["spaces.view_space"],
}
