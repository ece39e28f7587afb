"""The monthly e-mail of subscribed reports goes through a real SMTP server, once per month, with the PDF."""
from datetime import date

import pytest

from bkklib.reports import mailing, tasks
from bkklib.reports.models import Subscription

pytestmark = pytest.mark.django_db


def test_subscribers_get_their_report_once_a_month(smtp_sink, stored):
    Subscription.objects.create(user=stored.librarian_b, report="monthly", branch=stored.world.b)
    Subscription.objects.create(user=stored.executive, report="fiscal_year")
    assert mailing.send_monthly(today=date(2026, 11, 1)) == 2
    messages = {m["to"][0]: m["message"] for m in smtp_sink.wait_for(2)}
    monthly = messages["librarian.b@example.org"]
    assert monthly["Subject"].strip() == "สถิติประจำเดือน: บ้านหนังสือทดสอบ ข"
    body = monthly.get_body(("plain",)).get_content()
    assert "ตุลาคม 2569 · ปีงบประมาณ 2570" in body and "การยืม · 1" in body
    attachment = next(monthly.iter_attachments())
    assert attachment.get_content_type() == "application/pdf" and attachment.get_content()[:4] == b"%PDF"
    assert messages["director@example.org"]["Subject"].strip() == "สรุปผลปีงบประมาณ 2570"
    assert mailing.send_monthly(today=date(2026, 11, 1)) == 0  # already sent for October
    assert Subscription.objects.filter(last_sent_month=date(2026, 10, 1)).count() == 2


def test_subscribing_from_the_page(client, stored):
    client.force_login(stored.librarian_b)
    client.post("/staff/reports/subscriptions/", {"report": "monthly", "branch": stored.world.b.pk})
    assert Subscription.objects.filter(user=stored.librarian_b, branch=stored.world.b).exists()
    again = client.post("/staff/reports/subscriptions/", {"report": "monthly", "branch": stored.world.b.pk},
                        follow=True).content.decode()
    assert "คุณรับรายงานนี้อยู่แล้ว" in again
    refused = client.post("/staff/reports/subscriptions/", {"report": "monthly", "branch": stored.world.a.pk},
                          follow=True).content.decode()
    assert Subscription.objects.filter(user=stored.librarian_b).count() == 1 and "errorlist" not in refused


def test_the_nightly_task_stores_yesterday(db, monkeypatch):
    from django.utils import timezone

    from bkklib.reports.models import AggregationRun

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 10, 2))
    tasks.aggregate_yesterday.call_local()
    run = AggregationRun.objects.get()
    assert (run.first_day, run.last_day, run.trigger) == (date(2026, 10, 1), date(2026, 10, 1), "nightly")
