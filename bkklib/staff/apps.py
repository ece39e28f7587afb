"""The staff shell: log-in, the desk (service point) of the session, the staff home page.

It sits above every app (import-linter's top layer): it shows each app's pages and to-dos
through the registries of ``bkklib.core.menus`` (each app's ``menu`` module), and no app imports it.
"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "bkklib.staff"
    label = "staff"
    verbose_name = _("Back office")
