"""The reports app on the staff home page and on the public site (core/menus.py, core/public.py)."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem
from bkklib.core.public import PublicLink

ITEMS = [
    MenuItem(_("Executive dashboard"), "reports:dashboard", "reports.view_dashboard",
             _("The network at a glance: key figures against last year, months, districts, branches.")),
    MenuItem(_("Standard reports"), "reports:index", "reports.view_reports",
             _("Monthly branch statistics, circulation, top titles, overdue list, collection, fact sheet; "
               "XLSX and PDF; monthly e-mail.")),
]

PUBLIC_LINKS = [PublicLink(_("Open data"), "reports:open-data", order=90)]
