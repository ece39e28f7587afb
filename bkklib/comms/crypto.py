"""Channel credentials at rest, through core/crypto.py (Fernet, purpose "comms.credentials").

A database dump alone reveals no token; a token that cannot be read (altered, or written with a key
this server lacks) is a Refused with a Thai message asking to enter it again (docs/admin/comms.md).
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bkklib.core import crypto
from bkklib.core.exceptions import Refused

PURPOSE = "comms.credentials"


def encrypt(text: str) -> str:
    return crypto.encrypt(text, purpose=PURPOSE)


def decrypt(token: str) -> str:
    try:
        return crypto.decrypt(token, purpose=PURPOSE)
    except crypto.Unreadable:
        raise Refused(code="credentials_unreadable",
                      message=_("The channel's access token cannot be read with this server's key: "
                                "enter it again.")) from None
