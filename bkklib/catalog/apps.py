"""The catalog app: bibliographic records (MARC 21), items, MARC import and export."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "bkklib.catalog"
    label = "catalog"
    verbose_name = _("Catalog")
