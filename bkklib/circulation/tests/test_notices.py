"""Notices: pre-due, overdue 1st/2nd/3rd, hold ready, hold expiring, card expiring; email and LINE, logged once."""
import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import OperationalError

from bkklib.circulation import notices, services
from bkklib.circulation.models import Consent, Notice
from bkklib.core.models import MessageTemplate, NotificationAttempt

from .conftest import TUE_10AM
from .factories import PatronFactory

pytestmark = pytest.mark.django_db


def lend(desk, patron=None):
    return services.checkout(item=desk.item, patron=patron or desk.patron, staff=desk.staff, desk=desk.branch,
                             now=TUE_10AM)


def consent(patron):
    services.record_consent(patron, purposes=["notices"], channel=Consent.Channel.DESK, now=TUE_10AM)


def test_a_pre_due_notice_reaches_the_smtp_sink_once(desk, smtp_sink):
    consent(desk.patron)
    loan = lend(desk)  # due Tue 17 Jun 2025
    assert notices.send_daily_notices(date(2025, 6, 15))["pre_due"] == 1
    assert notices.send_daily_notices(date(2025, 6, 15))["pre_due"] == 0  # a second run sends nothing twice
    message = smtp_sink.wait_for(1)[0]
    assert message["to"] == [desk.patron.email]
    assert "ใกล้ถึงกำหนดคืน" in message["message"]["subject"]
    assert "17 มิ.ย. 2568" in message["message"].get_content()
    notice = Notice.objects.get(kind=Notice.Kind.PRE_DUE)
    assert notice.status == Notice.Status.SENT and notice.loan == loan
    assert NotificationAttempt.objects.get(about=f"circulation.notice:{notice.pk}").status == "sent"


def test_reminders_need_consent_but_overdue_notices_are_always_sent(desk, smtp_sink):
    lend(desk)
    assert notices.send_pre_due_notices(date(2025, 6, 15)) == 0
    assert notices.send_overdue_notices(date(2025, 6, 18)) == 1
    assert "เกินกำหนดคืน" in smtp_sink.wait_for(1)[0]["message"]["subject"]


def test_overdue_notices_escalate_on_schedule(desk, smtp_sink):
    lend(desk)
    sent = {day: notices.send_overdue_notices(date(2025, 6, 17) + timedelta(days=day)) for day in (1, 2, 8, 9, 15, 30)}
    assert sent == {1: 1, 2: 0, 8: 1, 9: 0, 15: 1, 30: 0}
    assert list(Notice.objects.order_by("sent_at").values_list("kind", flat=True)) == [
        "overdue_1", "overdue_2", "overdue_3"]
    assert "แจ้งเตือนครั้งสุดท้าย" in smtp_sink.wait_for(3)[2]["message"]["subject"]


def test_english_speaking_patrons_get_english_notices(desk, smtp_sink):
    patron = PatronFactory(language="en")
    lend(desk, patron)
    notices.send_overdue_notices(date(2025, 6, 18))
    message = smtp_sink.wait_for(1)[0]["message"]
    assert message["subject"].strip().startswith("Overdue") and "17 Jun 2025" in message.get_content()


def test_admins_edit_the_thai_text(desk, smtp_sink):
    notices.ensure_templates()
    MessageTemplate.objects.filter(code="circulation.overdue_1").update(subject_th="คืนหนังสือด่วน {{ title }}")
    lend(desk)
    notices.send_overdue_notices(date(2025, 6, 18))
    assert smtp_sink.wait_for(1)[0]["message"]["subject"].strip().startswith("คืนหนังสือด่วน")


def test_hold_ready_and_hold_expiring_notices(desk, smtp_sink, django_capture_on_commit_callbacks):
    lend(desk)
    reader = PatronFactory()
    services.place_hold(record=desk.item.record, patron=reader, pickup_branch=desk.branch, now=TUE_10AM)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert "พร้อมให้รับ" in smtp_sink.wait_for(1)[0]["message"]["subject"]
    expires = result.hold.expires_on
    assert notices.send_hold_expiring_notices(expires - timedelta(days=2)) == 1
    assert Notice.objects.filter(patron=reader).count() == 2


def test_a_hold_ready_notice_whose_task_was_lost_goes_with_the_daily_run(desk, smtp_sink):
    lend(desk)
    reader = PatronFactory()
    services.place_hold(record=desk.item.record, patron=reader, pickup_branch=desk.branch, now=TUE_10AM)
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM)  # its task never runs
    assert not Notice.objects.exists()
    assert notices.send_daily_notices(date(2025, 6, 3))["hold_ready"] == 1
    assert notices.send_daily_notices(date(2025, 6, 4))["hold_ready"] == 0
    assert "พร้อมให้รับ" in smtp_sink.wait_for(1)[0]["message"]["subject"] and len(smtp_sink.messages) == 1


def test_card_expiring_notice(desk, smtp_sink):
    patron = PatronFactory(card_expires_on=date(2025, 7, 3))
    consent(patron)
    assert notices.send_card_expiring_notices(date(2025, 6, 3)) == 1
    assert patron.card_number in smtp_sink.wait_for(1)[0]["message"].get_content()


def test_a_patron_without_an_address_is_logged_as_skipped(desk):
    patron = PatronFactory(email="")
    lend(desk, patron)
    notices.send_overdue_notices(date(2025, 6, 18))
    assert Notice.objects.get().status == Notice.Status.SKIPPED


class FakeLine(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLine.received.append({"path": self.path, "auth": self.headers["Authorization"], "body": body})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_line(settings):
    FakeLine.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeLine)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.LINE_CHANNEL_ACCESS_TOKEN = "circ-token"
    yield FakeLine
    server.shutdown()


def test_line_patrons_get_a_push_message(desk, fake_line):
    patron = PatronFactory(line_user_id="U1234567890abcdef", notice_channels=["line"])
    lend(desk, patron)
    notices.send_overdue_notices(date(2025, 6, 18))
    call = fake_line.received[0]
    assert call["path"] == "/v2/bot/message/push" and call["auth"] == "Bearer circ-token"
    assert call["body"]["to"] == "U1234567890abcdef" and "เกินกำหนดคืน" in call["body"]["messages"][0]["text"]
    assert Notice.objects.get().status == Notice.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_real_huey_consumer_sends_the_hold_ready_notice(reference_data, desk, smtp_sink, huey_consumer):
    import time

    lend(desk)
    reader = PatronFactory()
    services.place_hold(record=desk.item.record, patron=reader, pickup_branch=desk.branch, now=TUE_10AM)
    # A real commit: the checkin queues the notice after commit, and the consumer thread sends it.
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    assert smtp_sink.wait_for(1, timeout=60)[0]["to"] == [reader.email]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Notice.objects.filter(patron=reader, status="sent").exists():
                break
        except OperationalError:  # SQLite's shared in-memory test database: the sender's transaction is open
            pass
        time.sleep(0.1)
    assert Notice.objects.get(patron=reader, kind=Notice.Kind.HOLD_READY).status == Notice.Status.SENT
