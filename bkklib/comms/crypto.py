"""Channel credentials at rest: authenticated encryption from the standard library only.

The ``cryptography`` package is not installed in this project, so the cipher is built from
HMAC-SHA256 alone, a construction whose security rests on HMAC being a pseudo-random function:

- keys: ``enc`` and ``mac`` are derived (HKDF-SHA256, RFC 5869) from ``BKKLIB_COMMS_KEY`` in the
  environment, or from ``SECRET_KEY`` when that is unset;
- encryption: a fresh random 16-byte nonce; keystream block *i* = HMAC(enc, nonce ‖ i) (counter
  mode with HMAC as the PRF), XORed with the plain text;
- integrity: tag = HMAC(mac, version ‖ nonce ‖ cipher text), checked in constant time before
  anything is decrypted (encrypt-then-MAC).

Stored form: ``v1:`` + url-safe base64 of nonce ‖ cipher text ‖ tag. A database dump alone reveals
no token; changing the key (or SECRET_KEY without BKKLIB_COMMS_KEY) means entering the tokens again
(docs/admin/comms.md).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Refused

VERSION = b"v1"
NONCE, TAG = 16, 32


def _hkdf(secret: bytes, info: bytes, length: int = 32) -> bytes:
    prk = hmac.new(b"bkklib.comms", secret, hashlib.sha256).digest()
    out, block, n = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([n]), hashlib.sha256).digest()
        out += block
        n += 1
    return out[:length]


def _keys() -> tuple[bytes, bytes]:
    master = (os.environ.get("BKKLIB_COMMS_KEY", "").strip() or settings.SECRET_KEY).encode()
    return _hkdf(master, b"channel-credentials enc"), _hkdf(master, b"channel-credentials mac")


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(out[:length])


def encrypt(text: str) -> str:
    enc, mac = _keys()
    nonce = secrets.token_bytes(NONCE)
    plain = text.encode()
    cipher = bytes(a ^ b for a, b in zip(plain, _stream(enc, nonce, len(plain)), strict=True))
    tag = hmac.new(mac, VERSION + nonce + cipher, hashlib.sha256).digest()
    return "v1:" + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    enc, mac = _keys()
    try:
        if not token.startswith("v1:"):
            raise ValueError
        raw = base64.urlsafe_b64decode(token[3:].encode())
        nonce, cipher, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
        if len(raw) < NONCE + TAG or not hmac.compare_digest(
                tag, hmac.new(mac, VERSION + nonce + cipher, hashlib.sha256).digest()):
            raise ValueError
    except ValueError:
        raise Refused(code="credentials_unreadable",
                      message=_("The channel's access token cannot be read with this server's key: "
                                "enter it again.")) from None
    return bytes(a ^ b for a, b in zip(cipher, _stream(enc, nonce, len(cipher)), strict=True)).decode()
