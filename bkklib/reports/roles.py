"""Permissions of the reports app for each staff role (where: the staff member's branches, network.access)."""
from bkklib.core import roles

PERMISSIONS = {
    roles.NETWORK_ADMIN: ["reports.view_dashboard", "reports.view_reports", "reports.rebuild_figures",
                          "reports.view_aggregationrun", "reports.view_subscription"],
    roles.EXECUTIVE_VIEWER: ["reports.view_dashboard", "reports.view_reports"],
    roles.BRANCH_LIBRARIAN: ["reports.view_reports"],
}
