"""Personal data and credentials at rest: Fernet from the ``cryptography`` package.

Fernet is authenticated encryption (AES-128-CBC with HMAC-SHA256, a random IV per value): a database
copy alone reveals nothing, and an altered value is refused, never decrypted into garbage. Each
``purpose`` ("volunteers.sensitive", "comms.credentials"...) has its own key, derived with HKDF-SHA256
from the master keys, so one app's key never opens another's data.

Master keys: ``BKKLIB_DATA_KEYS`` (settings.DATA_KEYS), newest first; values written with an older key
still decrypt, and ``rotate(token, purpose=...)`` rewrites one under the newest. Without it the key is
derived from ``SECRET_KEY``, which must then never change (docs/admin/security.md).

``fingerprint`` is a keyed hash (HMAC-SHA256, newest key) to find a value again (one national ID applies
once) without storing it in the clear.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class Unreadable(ValueError):
    """The value was altered, or was written with a key this server does not have."""


def _masters() -> tuple[str, ...]:
    return tuple(getattr(settings, "DATA_KEYS", None) or [settings.SECRET_KEY])


@lru_cache(maxsize=64)
def _derive(master: str, purpose: str, use: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"bkklib", info=f"{purpose}:{use}".encode()
                ).derive(master.encode())


def _fernet(purpose: str) -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(master, purpose, "fernet")))
                        for master in _masters()])


def encrypt(text: str, *, purpose: str) -> str:
    """Return ``text`` encrypted for ``purpose`` (URL-safe ASCII); "" stays ""."""
    if not text:
        return ""
    return _fernet(purpose).encrypt(text.encode()).decode("ascii")


def decrypt(token: str, *, purpose: str) -> str:
    """Return the text in ``token``; raise Unreadable when it was altered or the key is unknown."""
    if not token:
        return ""
    try:
        return _fernet(purpose).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        raise Unreadable(purpose) from None


def rotate(token: str, *, purpose: str) -> str:
    """Return ``token`` re-encrypted under the newest key (after adding a key to BKKLIB_DATA_KEYS)."""
    if not token:
        return ""
    try:
        return _fernet(purpose).rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError, ValueError):
        raise Unreadable(purpose) from None


def fingerprint(value: str, *, purpose: str) -> str:
    """Return a keyed hash (64 hex digits) of ``value``: equal values, equal fingerprints."""
    key = _derive(_masters()[0], purpose, "fingerprint")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
