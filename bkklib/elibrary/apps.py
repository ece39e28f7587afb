"""The e-library app (issue 19): e-books and audiobooks lent under vendor licences, beside print loans."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElibraryConfig(AppConfig):
    name = "bkklib.elibrary"
    label = "elibrary"
    verbose_name = _("e-Library")
