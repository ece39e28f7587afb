"""Permissions of the comms app for each staff role (where: the staff member's branches, network.access)."""
from bkklib.core import roles

_WRITE = ["comms.view_post", "comms.add_post", "comms.change_post", "comms.view_channel"]
_REVIEW = [*_WRITE, "comms.approve_post", "comms.view_comms_report", "comms.view_reach", "comms.add_reach"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_REVIEW, "comms.delete_post", "comms.manage_channel", "comms.add_channel",
                          "comms.change_channel", "comms.view_settings", "comms.change_settings"],
    roles.BRANCH_LIBRARIAN: _REVIEW,
    roles.BRANCH_STAFF: _WRITE,
    roles.EXECUTIVE_VIEWER: ["comms.view_post", "comms.view_comms_report"],
}
