"""Replay of a real Thai self-check session (ULibM's SIP2 log, shared/data/sip2): every one of its 427
requests is read and answered with a frame a strict third-party codec accepts, in TIS-620."""
import re

import pysip2
import pytest

from bkklib.interop.models import Sip2Terminal
from bkklib.interop.sip2 import codec

from .conftest import RawClient

pytestmark = pytest.mark.django_db(transaction=True)


def requests_of(log: bytes) -> list[bytes]:
    frames = re.findall(rb"GOT: \r?\n?([^\r\n]*)", log)
    return [f for f in frames if f[:2] in (b"93", b"99", b"63", b"17", b"11", b"09", b"29")]


def test_replay_of_the_ulibm_session(sip2_site, legacy_terminal, shared_data):
    Sip2Terminal.objects.filter(pk=legacy_terminal.pk).update(charset="tis-620", date_style="be")
    frames = requests_of((shared_data / "sip2" / "ulibm__sip2-session-log-8001.txt").read_bytes())
    assert len(frames) == 427
    raw = RawClient(sip2_site.port)
    answered: dict[str, int] = {}
    for frame in frames:
        reply = raw.send(frame)
        if frame.startswith(b"93"):
            assert reply[:2] == b"94"
            continue
        if codec.verify(frame) is False:
            assert reply == b"96"
            continue
        assert reply != b"96", frame
        decoded = pysip2.decode_message(reply + b"\r", encoding="cp874")
        assert decoded.checksum is not None
        answered[reply[:2].decode()] = answered.get(reply[:2].decode(), 0) + 1
    raw.close()
    # Patron information, item information, checkout, checkin, renew and status all answered.
    assert set(answered) == {"98", "64", "18", "12", "10", "30"}
    assert sum(answered.values()) >= 380
