"""The public website's entries on the staff home page."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.menus import MenuItem

ITEMS = [
    MenuItem(_("News and pages of the website"), "opac:staff-news", "opac.view_newspost",
             _("Write, schedule and publish news; export to Facebook and LINE; edit about/contact/membership.")),
]
