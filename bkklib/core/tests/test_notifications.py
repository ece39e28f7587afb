"""The notification service delivers through real channels and logs every attempt."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bkklib.core import notifications
from bkklib.core.models import NotificationAttempt
from bkklib.core.tasks import send_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    return notifications.ensure_template(
        "core.test_hello", subject_th="สวัสดี {{ name }}", body_th="หนังสือของคุณ {{ title }} พร้อมให้รับแล้ว",
        subject_en="Hello {{ name }}", body_en="Your book {{ title }} is ready.",
    )


def test_an_email_reaches_a_local_smtp_sink_and_is_logged(smtp_sink, template):
    recipient = notifications.Recipient(name="สมชาย", email="somchai@example.org")

    attempts = notifications.notify(recipient, "core.test_hello", {"name": "สมชาย", "title": "ลุงบุญมีระลึกชาติ"})

    received = smtp_sink.wait_for(1)
    assert received[0]["to"] == ["somchai@example.org"]
    assert received[0]["message"]["subject"] == "สวัสดี สมชาย"
    assert "ลุงบุญมีระลึกชาติ" in received[0]["message"].get_content()
    assert [a.status for a in attempts] == [NotificationAttempt.Status.SENT]


def test_english_recipients_get_the_english_text(smtp_sink, template):
    recipient = notifications.Recipient(email="reader@example.org", language="en")
    notifications.notify(recipient, "core.test_hello", {"name": "Ann", "title": "Dune"})
    assert smtp_sink.wait_for(1)[0]["message"]["subject"] == "Hello Ann"


def test_a_channel_without_an_address_is_logged_as_skipped(template):
    attempts = notifications.notify(notifications.Recipient(name="x"), "core.test_hello", {}, channels=("sms",))
    assert attempts[0].status == NotificationAttempt.Status.SKIPPED


def test_a_failing_smtp_server_is_logged_not_raised(settings, template):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    attempts = notifications.notify(notifications.Recipient(email="a@example.org"), "core.test_hello", {})
    assert attempts[0].status == NotificationAttempt.Status.FAILED
    assert attempts[0].error


class FakeLine(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLine.received.append({"path": self.path, "auth": self.headers["Authorization"], "body": body})
        status = 400 if body["to"] == "Ubad" else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"message":"The property, \'to\', in the request body is invalid"}' if status == 400 else b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_line(settings):
    FakeLine.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeLine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.LINE_CHANNEL_ACCESS_TOKEN = "test-token"
    yield FakeLine
    server.shutdown()


def test_line_push_message_follows_the_messaging_api(fake_line, template):
    recipient = notifications.Recipient(line_user_id="U4af4980629")

    attempts = notifications.notify(recipient, "core.test_hello", {"name": "สมชาย", "title": "x"}, channels=("line",))

    assert attempts[0].status == NotificationAttempt.Status.SENT
    call = fake_line.received[0]
    assert call["path"] == "/v2/bot/message/push"
    assert call["auth"] == "Bearer test-token"
    assert call["body"]["to"] == "U4af4980629"
    assert call["body"]["messages"][0]["type"] == "text"
    assert "สวัสดี สมชาย" in call["body"]["messages"][0]["text"]


def test_a_line_error_is_logged_with_its_reason(fake_line, template):
    attempts = notifications.notify(notifications.Recipient(line_user_id="Ubad"), "core.test_hello", {},
                                    channels=("line",))
    assert attempts[0].status == NotificationAttempt.Status.FAILED
    assert "HTTP 400" in attempts[0].error


@pytest.mark.django_db(transaction=True)
def test_a_real_huey_consumer_sends_a_queued_notification(huey_consumer, smtp_sink, template):
    result = send_notification(
        {"name": "สมหญิง", "email": "somying@example.org"}, "core.test_hello", {"name": "สมหญิง", "title": "x"},
        ["email"],
    )

    attempt_ids = result.get(blocking=True, timeout=20)

    assert smtp_sink.wait_for(1)[0]["to"] == ["somying@example.org"]
    assert NotificationAttempt.objects.get(pk=attempt_ids[0]).status == NotificationAttempt.Status.SENT
