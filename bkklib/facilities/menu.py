"""Facilities on the staff home page and in the app's bar (core/menus.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem, TodoItem

ITEMS = [
    MenuItem(_("Buildings and UD audits"), "facilities:index", "facilities.view_building",
             _("Buildings, floors and rooms; Universal Design audits on site with photos; scores and gaps.")),
    MenuItem(_("Improvement works"), "facilities:works", "facilities.view_work",
             _("Works from proposal to inspection: budget per fiscal year, contractor, photos, documents.")),
    MenuItem(_("Tree survey"), "facilities:trees", "facilities.view_treesite",
             _("Planting sites, trees planned, planted and surviving per district, on a map.")),
    MenuItem(_("Buildings and grounds report"), "facilities:report", "facilities.view_facilities_report",
             _("UD score per branch, works per fiscal year, trees per district; XLSX and PDF.")),
]

TODOS = [
    TodoItem(_("UD audits being filled in"), "facilities:index", "bkklib.facilities.queries.count_draft_audits",
             "facilities.add_audit"),
    TodoItem(_("Works waiting for approval"), "facilities:works", "bkklib.facilities.queries.count_proposed_works",
             "facilities.approve_work", query="status=proposed"),
]
