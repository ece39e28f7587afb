"""Protection of volunteers' sensitive fields (national ID, address, health notes) at rest, through
core/crypto.py (Fernet, purpose "volunteers.sensitive"): a database copy alone reveals nothing, an
altered value is refused. ``fingerprint`` is a keyed hash used to find a person's ID again (duplicate
applications) without storing it in the clear. Keys: docs/admin/security.md (BKKLIB_DATA_KEYS).
"""
from __future__ import annotations

from bkklib.core import crypto

PURPOSE = "volunteers.sensitive"


def fingerprint(value: str) -> str:
    """Return a keyed hash (64 hex digits) of ``value``; equal values give equal fingerprints."""
    return crypto.fingerprint(value, purpose=PURPOSE)


def seal(value: str) -> str:
    """Return ``value`` encrypted and authenticated (text safe for a CharField); "" stays ""."""
    return crypto.encrypt(value, purpose=PURPOSE)


def unseal(token: str) -> str:
    """Return the text sealed in ``token``; raise ValueError (crypto.Unreadable) when altered or the key changed."""
    return crypto.decrypt(token, purpose=PURPOSE)


def mask_id(digits: str) -> str:
    """Return the ID as staff without the sensitive-field permission see it: ``x-xxxx-xxxxx-12-1``."""
    return f"x-xxxx-xxxxx-{digits[-3:-1]}-{digits[-1:]}" if len(digits) == 13 else ""
