"""Permissions of the outreach app for each staff role (where: the person's branches, network.access).

Volunteers get lending and returning (circulation) here: a volunteer desk account is assigned to
one reading house or vehicle only, so that is the one place they can use them.
"""
from bkklib.core import roles

_VIEW = ["outreach.view_vehicle", "outreach.view_route", "outreach.view_stop", "outreach.view_timetable",
         "outreach.view_trip", "outreach.view_visitrecord", "outreach.view_depositcollection",
         "outreach.view_volunteeraccount", "outreach.view_syncaction", "outreach.view_maintenancelog"]
_DESK = [*_VIEW, "outreach.add_visitrecord", "outreach.change_visitrecord", "outreach.change_trip",
         "outreach.change_depositcollection", "outreach.resolve_syncaction"]
_MANAGE = [*_DESK, "outreach.add_depositcollection", "outreach.add_volunteeraccount",
           "outreach.change_volunteeraccount", "outreach.add_maintenancelog", "outreach.change_maintenancelog",
           "outreach.change_vehicle",
           "outreach.add_stop", "outreach.change_stop", "outreach.add_timetable", "outreach.change_timetable",
           "outreach.delete_timetable"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_MANAGE, "outreach.add_vehicle", "outreach.add_route", "outreach.change_route"],
    roles.BRANCH_LIBRARIAN: _MANAGE,
    roles.BRANCH_STAFF: _DESK,
    roles.EXECUTIVE_VIEWER: _VIEW,
    roles.VOLUNTEER: ["outreach.use_volunteer_desk", "outreach.add_visitrecord", "outreach.change_visitrecord",
                      "circulation.add_loan", "circulation.change_loan", "circulation.view_patron"],
}
