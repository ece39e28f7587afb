"""Permissions of the standard-protocol terminals and of the staff who configure them."""
from bkklib.core import roles

SELF_CHECK = "self_check"

PERMISSIONS = {
    # The service account of a SIP2 terminal: what a self-check machine does at its branch.
    SELF_CHECK: [
        "circulation.view_patron", "circulation.view_loan", "circulation.add_loan", "circulation.change_loan",
        "circulation.view_hold", "circulation.add_hold", "circulation.change_hold", "circulation.view_fine",
        "circulation.add_receipt", "circulation.view_receipt",
    ],
    roles.NETWORK_ADMIN: [f"interop.{verb}_sip2terminal" for verb in ("add", "change", "delete", "view")],
}
