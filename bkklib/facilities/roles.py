"""Permissions of the facilities app for each staff role (where: the staff member's branches, network.access)."""
from bkklib.core import roles

_VIEW = ["facilities.view_building", "facilities.view_floor", "facilities.view_room", "facilities.view_audit",
         "facilities.view_auditanswer", "facilities.view_work", "facilities.view_treesite",
         "facilities.view_planting", "facilities.view_checklist", "facilities.view_species"]
# Branch staff survey on site: they fill UD audits, propose works from gaps, record trees and photos.
_SURVEY = [*_VIEW, "facilities.add_audit", "facilities.add_work", "facilities.add_treesite",
           "facilities.change_treesite", "facilities.add_planting", "facilities.change_planting"]
_MANAGE = [*_SURVEY, "facilities.add_building", "facilities.change_building", "facilities.change_work",
           "facilities.view_facilities_report"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_MANAGE, "facilities.approve_work", "facilities.inspect_work",
                          "facilities.delete_building", "facilities.delete_treesite"],
    roles.BRANCH_LIBRARIAN: _MANAGE,
    roles.BRANCH_STAFF: _SURVEY,
    roles.EXECUTIVE_VIEWER: [*_VIEW, "facilities.view_facilities_report"],
    roles.VOLUNTEER: ["facilities.view_treesite", "facilities.view_planting", "facilities.view_species"],
}
