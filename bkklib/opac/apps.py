"""The opac app: the public website (catalog search, directory, news, patron account)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpacConfig(AppConfig):
    name = "bkklib.opac"
    label = "opac"
    verbose_name = _("Public website")
