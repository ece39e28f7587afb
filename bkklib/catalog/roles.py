"""Permissions of the catalog app for each staff role (scoped to branches by network.access for items)."""
from bkklib.core import roles

_CATALOGUING = [
    "catalog.view_record", "catalog.add_record", "catalog.change_record", "catalog.delete_record",
    "catalog.view_item", "catalog.add_item", "catalog.change_item",
    "catalog.import_marc", "catalog.export_marc", "catalog.view_importjob", "catalog.add_importjob",
    "catalog.view_stocktake", "catalog.add_stocktake", "catalog.change_stocktake",
    "catalog.view_withdrawal", "catalog.add_withdrawal",
]

PERMISSIONS = {
    roles.NETWORK_ADMIN: [
        *_CATALOGUING, "catalog.delete_item", "catalog.approve_withdrawal", "catalog.view_itemtype",
        "catalog.add_itemtype", "catalog.change_itemtype", "catalog.delete_itemtype",
    ],
    roles.BRANCH_LIBRARIAN: [*_CATALOGUING, "catalog.approve_withdrawal", "catalog.view_itemtype"],
    roles.BRANCH_STAFF: [
        "catalog.view_record", "catalog.view_item", "catalog.add_item", "catalog.change_item",
        "catalog.view_stocktake", "catalog.add_stocktake", "catalog.change_stocktake",
        "catalog.view_withdrawal", "catalog.add_withdrawal", "catalog.view_itemtype",
    ],
    roles.EXECUTIVE_VIEWER: ["catalog.view_record", "catalog.view_item", "catalog.view_importjob"],
    roles.VOLUNTEER: ["catalog.view_record", "catalog.view_item"],
}
