"""Protection of volunteers' sensitive fields (national ID, address, health notes) at rest.

The project ships no encryption library, so this is a small authenticated stream cipher built from
the standard library only: a keystream of HMAC-SHA256 blocks in counter mode over a random 16-byte
nonce, and an HMAC-SHA256 tag over nonce and ciphertext (encrypt-then-MAC). Keys are derived from
``settings.SECRET_KEY`` with distinct labels, so a database copy alone reveals nothing; rotating the
secret key makes old values unreadable (docs/admin/volunteers.md). ``fingerprint`` is a keyed hash
used to find a person's ID again (duplicate applications) without storing it in the clear.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

PREFIX = "v1:"


def _key(label: str) -> bytes:
    return hashlib.sha256(f"bkklib.volunteers.{label}:{settings.SECRET_KEY}".encode()).digest()


def fingerprint(value: str) -> str:
    """Return a keyed hash (64 hex digits) of ``value``; equal values give equal fingerprints."""
    return hmac.new(_key("fingerprint"), value.encode(), hashlib.sha256).hexdigest()


def _stream(nonce: bytes, length: int) -> bytes:
    key = _key("stream")
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(out[:length])


def seal(value: str) -> str:
    """Return ``value`` encrypted and authenticated (text safe for a CharField); "" stays ""."""
    if not value:
        return ""
    data = value.encode()
    nonce = secrets.token_bytes(16)
    cipher = bytes(a ^ b for a, b in zip(data, _stream(nonce, len(data)), strict=True))
    tag = hmac.new(_key("tag"), nonce + cipher, hashlib.sha256).digest()[:16]
    return PREFIX + base64.urlsafe_b64encode(nonce + tag + cipher).decode()


def unseal(token: str) -> str:
    """Return the text sealed in ``token``; raise ValueError when it was altered or the key changed."""
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise ValueError("not a sealed value")
    raw = base64.urlsafe_b64decode(token[len(PREFIX):].encode())
    nonce, tag, cipher = raw[:16], raw[16:32], raw[32:]
    if not hmac.compare_digest(tag, hmac.new(_key("tag"), nonce + cipher, hashlib.sha256).digest()[:16]):
        raise ValueError("sealed value altered or key changed")
    return bytes(a ^ b for a, b in zip(cipher, _stream(nonce, len(cipher)), strict=True)).decode()


def mask_id(digits: str) -> str:
    """Return the ID as staff without the sensitive-field permission see it: ``x-xxxx-xxxxx-12-1``."""
    return f"x-xxxx-xxxxx-{digits[-3:-1]}-{digits[-1:]}" if len(digits) == 13 else ""
