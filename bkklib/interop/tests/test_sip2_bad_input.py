"""SIP2 bad input: the protocol's own answers, the other terminals keep being served, nothing half-done."""
import socket
import threading

import pytest

from bkklib.circulation.models import Loan
from bkklib.interop.sip2 import codec

from .conftest import PASSWORD, RawClient

pytestmark = pytest.mark.django_db(transaction=True)


def frame(body: str, sequence: int, *, bad_checksum: bool = False) -> bytes:
    data = f"{body}AY{sequence}AZ".encode()
    check = codec.checksum(data)
    if bad_checksum:
        check = f"{(int(check, 16) + 1) & 0xFFFF:04X}"
    return data + check.encode()


def logged_in(port: int) -> RawClient:
    raw = RawClient(port)
    assert raw.send(frame(f"9300CNsc1|CO{PASSWORD}|", 0)).startswith(b"941")
    return raw


def checkout_body(site, item) -> str:
    date = codec.sip_datetime(None).replace(" ", "0")
    return f"11NN{date}{' ' * 18}AOBKKLIB|AA{site.patron.card_number}|AB{item.barcode}|AC|"


def test_wrong_login_unknown_and_broken_messages(sip2_site):
    raw = RawClient(sip2_site.port)
    assert raw.send(frame("9300CNsc1|COwrong-password|", 0)) == frame("940", 0)[:-4] + codec.checksum(
        frame("940", 0)[:-4]).encode()
    # Before log-in nothing but log-in and status is served: "please resend".
    assert raw.send(frame(checkout_body(sip2_site, sip2_site.items[0]), 1)) == b"96"
    raw.close()
    raw = logged_in(sip2_site.port)
    assert raw.send(frame(checkout_body(sip2_site, sip2_site.items[0]), 1, bad_checksum=True)) == b"96"
    assert raw.send(b"XX0000") == b"96"  # unknown message
    assert raw.send(b"1120261207") == b"96"  # truncated fixed fields
    assert raw.send("11\u0000\u00ff".encode("latin-1")) == b"96"
    assert not Loan.objects.exists()  # none of them lent anything
    # The session goes on: a good frame after the bad ones is served.
    assert raw.send(frame(checkout_body(sip2_site, sip2_site.items[0]), 2)).startswith(b"121")
    assert Loan.objects.count() == 1
    raw.close()


def test_a_terminal_that_disconnects_mid_message_does_not_disturb_others(sip2_site):
    half = socket.create_connection(("127.0.0.1", sip2_site.port))
    half.sendall(frame(f"9300CNsc1|CO{PASSWORD}|", 0) + b"\r" + frame(checkout_body(sip2_site, sip2_site.items[1]), 1)[:25])
    half.close()  # gone after half a checkout
    other = logged_in(sip2_site.port)
    assert other.send(frame(checkout_body(sip2_site, sip2_site.items[2]), 1)).startswith(b"121")
    assert list(Loan.objects.values_list("item_id", flat=True)) == [sip2_site.items[2].pk]
    # An endless frame without CR is answered with 96 and dropped, not kept in memory.
    flood = RawClient(sip2_site.port)
    flood.sock.sendall(b"17" + b"x" * (codec.MAX_FRAME + 10))
    assert flood.read() == b"96"
    flood.close()
    other.close()


def test_a_thousand_connections_opened_and_dropped(sip2_site):
    def churn(count: int):
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", sip2_site.port), timeout=10)
            sock.close()

    threads = [threading.Thread(target=churn, args=(125,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    raw = logged_in(sip2_site.port)
    assert raw.send(frame("9900402.00", 1)).startswith(b"98YYYY")
    raw.close()


def test_checksums_off_for_an_old_terminal(sip2_site):
    from bkklib.interop.models import Sip2Terminal

    Sip2Terminal.objects.filter(login="sc1").update(error_detection=False)
    raw = RawClient(sip2_site.port)
    assert raw.send(f"9300CNsc1|CO{PASSWORD}|".encode()) == b"941"
    # With error detection off, answers carry no AY/AZ and a wrong checksum is not refused.
    reply = raw.send(frame("9900402.00", 1, bad_checksum=True))
    assert reply.startswith(b"98YYYY") and b"AZ" not in reply
    raw.close()
