"""Refusals of the standard-protocol services."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import InvalidInput


class TerminalRefused(InvalidInput):
    code = "terminal_refused"
    message = _("The terminal {login} cannot be set up: {reason}")
