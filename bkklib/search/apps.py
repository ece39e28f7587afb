"""The search app: Thai-aware normalising, segmenting and the search backends."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "bkklib.search"
    label = "search"
    verbose_name = _("Search")
