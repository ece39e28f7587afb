"""HTTP Basic with the library card number and PIN for reading apps (Authentication for OPDS 1.0).

The PIN is checked by circulation's one PIN rule (``pin_matches``). Reading apps send the credentials
with every request, so a verified pair is remembered for a few minutes (keyed by a hash that changes
with the PIN), and only unverified attempts count against the rate limit of the caller's address.
"""
from __future__ import annotations

import base64
import binascii
import hashlib

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from bkklib.circulation.models import Patron
from bkklib.circulation.services import patrons as patron_services
from bkklib.core import ratelimit
from bkklib.core.exceptions import DomainError

BASIC_LIMIT = ratelimit.Limit("elibrary-opds-basic", 10, 15 * 60)
REMEMBER_SECONDS = 300
REALM = "Bangkok public libraries e-Library"


class AuthenticationRequired(DomainError):
    code = "authentication_required"
    status = 401
    message = _("Sign in with your library card number and PIN.")


class BadCredentials(AuthenticationRequired):
    code = "bad_credentials"
    message = _("The card number or the PIN is not right. Check both and try again.")


def credentials(request) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header[:6].lower() == "basic ":
        return None
    try:
        card, _sep, pin = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCredentials()
    return card.strip(), pin


def _remember_key(card: str, pin: str, pin_hash: str) -> str:
    return "elibrary-basic:" + hashlib.sha256(f"{card}\0{pin}\0{pin_hash}".encode()).hexdigest()


def patron_from_request(request, *, required: bool = False) -> Patron | None:
    """Return the patron of the request's Basic credentials; None without any (unless ``required``).

    Raise BadCredentials for wrong ones, RateLimited after too many tries from one address.
    """
    found = credentials(request)
    if found is None:
        if required:
            raise AuthenticationRequired()
        return None
    card, pin = found
    patron = patron_services.card_holder(card)
    if patron is not None and cache.get(_remember_key(card, pin, patron.pin_hash)):
        return patron
    ratelimit.check_request(BASIC_LIMIT, request)
    if not patron_services.pin_matches(patron, pin) or patron.status == Patron.Status.ERASED:
        raise BadCredentials()
    cache.set(_remember_key(card, pin, patron.pin_hash), 1, REMEMBER_SECONDS)
    return patron
