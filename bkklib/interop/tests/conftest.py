"""Fixtures of the SIP2 tests: a real server on a free port, a branch with a terminal, a patron and items."""
import socket
from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password

from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
from bkklib.circulation.services import patrons as patron_services
from bkklib.circulation.tests.conftest import load_reference_data
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.interop import services
from bkklib.interop.sip2.server import Sip2Server
from bkklib.network.tests.factories import BranchFactory

PIN = "4321"
PASSWORD = "self-check-1"


@dataclass
class Site:
    branch: object
    terminal: object
    patron: object
    items: list
    port: int


@pytest.fixture
def sip2_site(transactional_db):
    """A branch with a UTF-8 SIP2 terminal ``sc1`` and a TIS-620/BE one ``sc-thai``, a patron with a PIN,
    three items with Thai titles, and a running SIP2 server."""
    load_reference_data()
    roles.sync_roles()  # a transactional test starts with the role groups emptied
    branch = BranchFactory(code="sip2lib", name_th="ห้องสมุดเพื่อการเรียนรู้ทดสอบ")
    terminal = services.create_terminal(login="sc1", password=PASSWORD, name="ตู้ยืมคืนหน้าห้อง", branch=branch)
    services.create_terminal(login="sc-thai", password=PASSWORD, name="ตู้ยืมรุ่นเก่า", branch=branch,
                             charset="tis-620", date_style="be")
    patron = PatronFactory(card_number="2990000001009", home_branch=branch, first_name_th="สมชาย",
                           last_name_th="ใจดี")
    patron_services.set_pin(patron, PIN)
    titles = ["รายงานการประชุม", "ปั้นดินให้เป็นดาว", "ญี่ปุ่นในสายตาคนไทย"]
    items = [ItemFactory(record=RecordFactory(title=t), branch=branch, barcode=f"3900000000{n:03d}")
             for n, t in enumerate(titles, start=1)]
    server = Sip2Server("127.0.0.1", 0, idle_timeout=5)
    server.start_in_thread()
    yield Site(branch, terminal, patron, items, server.port)
    server.shutdown()
    server.server_close()


@pytest.fixture
def legacy_terminal(sip2_site):
    """The ULibM log's terminal: login ``admin``, password ``abc123``, institution 1901 (a short legacy password
    set directly, as an admin would for an old machine that cannot be changed)."""
    terminal = services.create_terminal(login="admin", password="temporary-pass", name="ULibM SC", branch=sip2_site.branch,
                                        institution_id="1901")
    terminal.password_hash = make_password("abc123")
    terminal.save()
    return terminal


class RawClient:
    """A bare TCP client: send frames, read one answer per frame."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""

    def send(self, frame: bytes) -> bytes:
        self.sock.sendall(frame if frame.endswith(b"\r") else frame + b"\r")
        return self.read()

    def read(self) -> bytes:
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buffer += chunk
        frame, self.buffer = self.buffer.split(b"\r", 1)
        return frame

    def close(self):
        self.sock.close()
