"""Permissions of the acquisitions app for each staff role (where: the staff member's branches, network.access)."""
from bkklib.core import roles

_VIEW = ["acquisitions.view_fund", "acquisitions.view_vendor", "acquisitions.view_request",
         "acquisitions.view_order", "acquisitions.view_donation", "acquisitions.view_acquisitions_report"]
_DESK = [*_VIEW, "acquisitions.add_request", "acquisitions.change_request", "acquisitions.receive_order",
         "acquisitions.add_donation", "acquisitions.change_donation"]
_LIBRARIAN = [*_DESK, "acquisitions.add_order", "acquisitions.change_order", "acquisitions.add_vendor",
              "acquisitions.change_vendor"]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [*_LIBRARIAN, "acquisitions.approve_order", "acquisitions.add_fund",
                          "acquisitions.change_fund", "acquisitions.transfer_fund", "acquisitions.override_fund",
                          "acquisitions.close_fiscal_year"],
    roles.BRANCH_LIBRARIAN: _LIBRARIAN,
    roles.BRANCH_STAFF: _DESK,
    roles.EXECUTIVE_VIEWER: _VIEW,
}
