"""Refusals of a migration as a whole (a bad mapping file, an unknown branch code): DomainErrors."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import InvalidInput


class BadMapping(InvalidInput):
    code = "migration_bad_mapping"
    message = _("The mapping file cannot be used: {problem}")


class UnknownSource(InvalidInput):
    code = "migration_unknown_source"
    message = _("“{source}” is not a system bkklib migrates from (ulibm or koha).")
