"""SIP2 (3M Standard Interchange Protocol 2.00) frames: parse what a terminal sends, build answers.

A message is a two-digit command, fixed-length fields, then variable fields (two-letter code,
value, ``|``), optionally ``AY<sequence>AZ<checksum>``, and a carriage return. The checksum is the
two's complement of the 16-bit sum of the message's bytes up to and including ``AZ``, in four
upper-case hex digits. Bytes are decoded with the terminal's charset (UTF-8 or TIS-620): Thai
self-check machines send Thai titles in TIS-620. Be strict in what we send, lenient in what we
accept: a missing terminator on the last field, a lower-case checksum or a stray LF are accepted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from .messages import REQUESTS, RESPONSES

CR = b"\r"
MAX_FRAME = 8192  # bytes; longer is not a SIP2 message
CHARSETS = {"utf-8": "utf-8", "tis-620": "cp874"}  # cp874 is TIS-620 plus the Windows additions


class FrameError(ValueError):
    """A frame that cannot be read (the answer is 96, "please resend")."""


@dataclass
class Message:
    command: str
    fixed: dict[str, str] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    sequence: str | None = None
    checksum_ok: bool | None = None  # None: the frame carried no checksum

    def get(self, code: str, default: str = "") -> str:
        values = self.fields.get(code)
        return values[0] if values else default


def checksum(data: bytes) -> str:
    """Return the SIP2 checksum of ``data`` (the frame up to and including ``AZ``)."""
    return f"{(-sum(data)) & 0xFFFF:04X}"


_CHECKSUM_TAIL = re.compile(rb"AZ([0-9A-Fa-f]{1,4})$")


def verify(frame: bytes, *, charset: str = "utf-8") -> bool | None:
    """Return whether the frame's ``AZ`` checksum is right (None when it has none).

    Lenient, as real terminals are: fewer than four hex digits, lower case, and a checksum summed
    over characters instead of bytes (what some clients do with Thai text) are accepted.
    """
    match = _CHECKSUM_TAIL.search(frame)
    if match is None:
        return None
    head = frame[: match.start() + 2]
    sent = int(match.group(1), 16)
    if (-sum(head)) & 0xFFFF == sent:
        return True
    try:
        text = head.decode(CHARSETS.get(charset, charset))
    except (UnicodeDecodeError, LookupError):
        return False
    return (-sum(map(ord, text))) & 0xFFFF == sent


def decode(frame: bytes, *, charset: str = "utf-8") -> Message:
    """Parse one frame (without its CR) into a Message; raise FrameError."""
    frame = frame.strip(b"\r\n")
    if len(frame) < 2:
        raise FrameError("empty frame")
    if len(frame) > MAX_FRAME:
        raise FrameError("frame too long")
    checksum_ok = verify(frame, charset=charset)
    body = frame
    sequence = None
    if checksum_ok is not None:
        body = frame[: _CHECKSUM_TAIL.search(frame).start()]
    ay = body.rfind(b"AY")
    if ay >= 0 and len(body) - ay == 3 and body[ay + 2:ay + 3].isdigit():
        sequence = body[ay + 2:].decode("ascii")
        body = body[:ay]
    try:
        text = body.decode(CHARSETS.get(charset, charset))
    except (UnicodeDecodeError, LookupError):
        text = body.decode("latin-1")
    command = text[:2]
    spec = REQUESTS.get(command)
    if spec is None:
        raise FrameError(f"unknown message {command!r}")
    fixed, pos = {}, 2
    for name, width in spec.fixed:
        value = text[pos:pos + width]
        if name.endswith("date") and value[:2].isalpha() and value[:2].isupper() and not value[:8].isdigit():
            # Some clients leave a date out (the 65 of PyPI's sip2 has none): read on from the same place.
            fixed[name] = ""
            continue
        if len(value) < width:
            raise FrameError(f"message {command} is cut short in its fixed field {name}")
        fixed[name] = value
        pos += width
    fields: dict[str, list[str]] = {}
    rest = text[pos:]
    for part in rest.split("|"):
        if not part:
            continue
        if len(part) < 2:
            raise FrameError(f"message {command} has a broken field {part!r}")
        fields.setdefault(part[:2], []).append(part[2:])
    return Message(command, fixed, fields, sequence, checksum_ok)


def sip_datetime(moment: datetime | None, *, era: str = "ce") -> str:
    """Return the 18-character SIP2 date ``YYYYMMDD    HHMMSS`` in local time (BE years with ``era="be"``)."""
    if moment is None:
        return " " * 18
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    year = local.year + (543 if era == "be" else 0)
    return f"{year:04d}{local:%m%d}    {local:%H%M%S}"


def sip_date(day, *, era: str = "ce") -> str:
    """A due date in a variable field: ``YYYYMMDD    235959`` (the end of the due day)."""
    if day is None:
        return ""
    return f"{day.year + (543 if era == 'be' else 0):04d}{day:%m%d}    235959"


def parse_sip_datetime(value: str) -> datetime | None:
    """Read an 18-character SIP2 date (CE or BE years: a year past 2400 is BE) as a local datetime."""
    value = (value or "").strip()
    if len(value) < 8 or not value[:8].isdigit():
        return None
    year = int(value[:4])
    if year > 2400:
        year -= 543
    try:
        day = datetime(year, int(value[4:6]), int(value[6:8]))
        clock = value[-6:]
        if clock.isdigit():
            day = day.replace(hour=int(clock[:2]), minute=int(clock[2:4]), second=int(clock[4:6]))
    except ValueError:
        return None
    return timezone.make_aware(day)


def clean(value) -> str:
    """Remove what would break a frame (the field separator and line ends) from a value."""
    return str(value if value is not None else "").replace("|", "/").replace("\r", " ").replace("\n", " ")


def encode(command: str, fixed: list[str], fields: list[tuple[str, object]], *, charset: str = "utf-8",
           sequence: str | None = None, error_detection: bool = True) -> bytes:
    """Build a response frame (with CR). ``fixed`` values must have their exact widths."""
    spec = RESPONSES[command]
    if len(fixed) != len(spec.fixed):
        raise ValueError(f"{command} takes {len(spec.fixed)} fixed fields")
    parts = [command]
    for (name, width), value in zip(spec.fixed, fixed, strict=True):
        if len(value) != width:
            raise ValueError(f"{command}.{name} must be {width} characters: {value!r}")
        parts.append(value)
    for code, value in fields:
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for one in values:
            parts.append(f"{code}{clean(one)}|")
    data = "".join(parts).encode(CHARSETS.get(charset, charset), errors="replace")
    if error_detection:
        data += f"AY{sequence if sequence is not None else '0'}AZ".encode("ascii")
        data += checksum(data).encode("ascii")
    return data + CR
