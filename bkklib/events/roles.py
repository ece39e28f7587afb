"""Permissions of the events app for each staff role (where: the activity's branch, ``network.access``)."""
from bkklib.core import roles

_MODELS = ("activity", "session", "registration", "walkin")
_BRANCH = [f"events.{verb}_{model}" for verb in ("add", "change", "view") for model in _MODELS] + [
    "events.view_festival", "events.view_project", "events.view_report"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_BRANCH, "events.delete_session",
                          *(f"events.{verb}_{model}" for verb in ("add", "change", "delete", "view")
                            for model in ("festival", "project", "projecttarget"))],
    roles.BRANCH_LIBRARIAN: _BRANCH,
    roles.BRANCH_STAFF: [*_BRANCH],
    roles.EXECUTIVE_VIEWER: ["events.view_activity", "events.view_session", "events.view_festival",
                             "events.view_project", "events.view_report"],
    roles.VOLUNTEER: ["events.view_activity", "events.view_session", "events.change_registration",
                      "events.view_registration"],
}
