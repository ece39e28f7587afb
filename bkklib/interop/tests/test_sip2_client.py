"""A self-check session with a real SIP2 client from PyPI (``sip2``) against the server over TCP:
every message of the brief, answered through circulation's services, with Thai intact."""
import tempfile

import pysip2
import pytest
from django.utils import timezone
from Sip2.sip2 import Sip2

from bkklib.circulation.models import Fine, Hold, Loan, Receipt
from bkklib.interop.sip2 import codec

from .conftest import PASSWORD, PIN, RawClient

pytestmark = pytest.mark.django_db(transaction=True)


def client_for(site, *, login="sc1", encoding="utf-8") -> Sip2:
    client = Sip2()
    client.logfile_path = tempfile.gettempdir()  # its own log (rotated daily), not into the working folder
    client.hostName, client.hostPort, client.tlsEnable, client.hostEncoding = "127.0.0.1", site.port, False, encoding
    client.socketTimeout = 10
    client.institutionId = "BKKLIB"
    client.connect()
    login_reply = client.sip_login_response(client.get_response(client.sip_login_request(login, PASSWORD)))
    assert login_reply["fixed"]["Ok"] == "1"
    return client


def strict(reply: str) -> object:
    """Our answer must pass pysip2's strict codec (checksum included)."""
    return pysip2.decode_message(reply.encode("utf-8"), encoding="utf-8").message


def test_a_day_at_the_self_check(sip2_site):
    site = sip2_site
    c = client_for(site)
    status = c.get_response(c.sip_sc_status_request())
    assert status.startswith("98YYYY") and "AMห้องสมุดเพื่อการเรียนรู้ทดสอบ" in status
    strict(status)

    c.patron, c.patronpwd = site.patron.card_number, PIN
    reply = c.get_response(c.sip_patron_status_request())
    assert "AEสมชาย ใจดี|" in reply and "BLY|" in reply and "CQY|" in reply
    strict(reply)

    book = site.items[1]
    out = c.get_response(c.sip_checkout_request(book.barcode))
    parsed = c.sip_checkout_response(out)
    assert parsed["fixed"]["Ok"] == "1", out
    assert parsed["variable"]["AJ"] == ["ปั้นดินให้เป็นดาว"]
    loan = Loan.objects.get(item=book, returned_at__isnull=True)
    assert loan.patron == site.patron and loan.branch == site.branch
    assert loan.checked_out_by == site.terminal.user  # the audit names the terminal's account
    strict(out)

    info = c.get_response(c.sip_item_information_request(book.barcode))
    assert info.startswith("1804") and "AH" in info
    strict(info)

    info = c.get_response(c.sip_patron_information_request("charged"))
    assert f"AU{book.barcode}|" in info and info[45:49] == "0001"  # charged items count
    strict(info)

    renewed = c.get_response(c.sip_renew_request(book.barcode))
    assert renewed.startswith("301Y"), renewed
    assert Loan.objects.get(pk=loan.pk).renewals == 1

    all_renewed = c.get_response(c.sip_renew_all_request())
    assert all_renewed.startswith("661")
    strict(all_renewed)

    back = c.get_response(c.sip_checkin_request(book.barcode, currentLocation="sip2lib"))
    assert back.startswith("101"), back
    assert not Loan.objects.filter(item=book, returned_at__isnull=True).exists()
    strict(back)

    held = c.get_response(c.sip_hold_request("+", itemIdentifier=site.items[2].barcode))
    assert held.startswith("161"), held
    strict(held)

    bye = c.get_response(c.sip_end_patron_session_request())
    assert bye.startswith("36Y")
    c.disconnect()


def test_checkout_refusals_are_the_services_messages(sip2_site):
    site = sip2_site
    c = client_for(site)
    c.patron, c.patronpwd = "0000000000000", ""
    reply = c.get_response(c.sip_checkout_request(site.items[0].barcode))
    assert reply.startswith("120") and "AFไม่พบบัตร 0000000000000" in reply
    c.patron, c.patronpwd = site.patron.card_number, "9999"
    reply = c.get_response(c.sip_checkout_request(site.items[0].barcode))
    assert reply.startswith("120") and "PIN" in reply
    c.patron, c.patronpwd = site.patron.card_number, PIN
    assert c.get_response(c.sip_checkout_request(site.items[0].barcode)).startswith("121")
    again = c.get_response(c.sip_checkout_request(site.items[0].barcode))
    assert again.startswith("120")  # on loan already: the service's own refusal, in Thai
    assert Loan.objects.filter(item=site.items[0], returned_at__isnull=True).count() == 1


def test_fee_paid_and_holds_through_raw_frames(sip2_site):
    site = sip2_site
    Fine.objects.create(patron=site.patron, kind=Fine.Kind.OVERDUE, amount="15.00", branch=site.branch,
                        description="เกินกำหนด", created_at=timezone.now())
    raw = RawClient(site.port)
    assert raw.send(_frame(f"9300CNsc1|CO{PASSWORD}|", 0)).startswith(b"941")
    date = codec.sip_datetime(None).replace(" ", "0")
    paid = raw.send(_frame(f"37{date}0100THBBV15.00|AOBKKLIB|AA{site.patron.card_number}|", 1))
    assert paid.startswith(b"38Y"), paid
    assert Receipt.objects.filter(patron=site.patron).count() == 1
    hold = raw.send(_frame(f"15+{date}AOBKKLIB|AA{site.patron.card_number}|AB{site.items[2].barcode}|", 2))
    assert hold[:3] in (b"161",), hold
    assert Hold.objects.filter(patron=site.patron, record=site.items[2].record).exists()
    cancelled = raw.send(_frame(f"15-{date}AOBKKLIB|AA{site.patron.card_number}|AB{site.items[2].barcode}|", 3))
    assert cancelled.startswith(b"161")
    assert not Hold.objects.filter(patron=site.patron, status=Hold.Status.WAITING).exists()
    # 97: the terminal missed the last answer and asks for it again.
    assert raw.send(b"97") == cancelled
    raw.close()


def test_tis620_terminal_gets_thai_bytes_and_buddhist_era_dates(sip2_site):
    site = sip2_site
    raw = RawClient(site.port)
    assert raw.send(_frame(f"9300CNsc-thai|CO{PASSWORD}|", 0)).startswith(b"941")
    date = codec.sip_datetime(None).replace(" ", "0")
    out = raw.send(_frame(f"11NN{date}{' ' * 18}AOBKKLIB|AA{site.patron.card_number}|AB{site.items[0].barcode}|AC|",
                          1, encoding="cp874"))
    assert out.startswith(b"121")
    assert "AJรายงานการประชุม|".encode("cp874") in out
    assert "AFกำหนดคืน ".encode("cp874") in out  # the screen message, in Thai, in TIS-620 bytes
    due = out.split(b"|AH")[1][:4]
    assert int(due) > 2500  # a Buddhist-Era year
    assert codec.verify(out) is True
    raw.close()


def _frame(body: str, sequence: int, *, encoding="utf-8") -> bytes:
    data = f"{body}AY{sequence}AZ".encode(encoding)
    return data + codec.checksum(data).encode()
