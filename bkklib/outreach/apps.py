"""The outreach app: mobile libraries, routes, stops, deposit collections, the offline volunteer desk (issue 22)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "bkklib.outreach"
    label = "outreach"
    verbose_name = _("Mobile libraries and reading houses")
