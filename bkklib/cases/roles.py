"""Permissions of casework per staff role (where: the staff member's branches, network.access).

Only the network admin role holds ``cases.view_requester_identity``: an anonymous requester's
name and contact are hidden from everyone else, and every look is logged.
"""
from bkklib.core import roles

_DESK = ["cases.view_case", "cases.add_case", "cases.change_case", "cases.view_category", "cases.view_visit",
         "cases.view_auditreport"]
_MANAGE = [*_DESK, "cases.view_case_report", "cases.manage_visits", "cases.manage_audit"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_MANAGE, "cases.view_requester_identity", "cases.change_evidenceitem",
                          "cases.view_evidenceitem",
                          *(f"cases.{verb}_{model}" for verb in ("add", "change", "delete")
                            for model in ("category", "routingrule"))],
    roles.BRANCH_LIBRARIAN: _MANAGE,
    roles.BRANCH_STAFF: _DESK,
    roles.EXECUTIVE_VIEWER: ["cases.view_case", "cases.view_case_report", "cases.view_visit",
                             "cases.view_auditreport", "cases.view_evidenceitem"],
}
