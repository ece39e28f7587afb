"""Refusals of the standard-protocol services."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import InvalidInput


class TerminalRefused(InvalidInput):
    code = "terminal_refused"
    message = _("The terminal {login} cannot be set up: {reason}")


class CopySearchFailed(InvalidInput):
    code = "copy_search_failed"
    status = 502
    message = _("Searching {target} failed: {reason}")
