"""Deadline clocks of cases on a fixed clock with the real 2025 holiday table: business days across
Songkran, the 24-hour visit clock, pauses, escalation at breach and reminders sent once."""
from datetime import date, timedelta

from bkklib.cases import services
from bkklib.cases.models import Alert, Case, CasePause, Visit

from .conftest import at, complaint


def test_complaint_filed_friday_1630_before_songkran_is_due_after_the_long_weekend(site):
    # Fri 11 Apr 2025 16:30: the office has closed; Sat 12 – Wed 16 Apr are weekend, Songkran and its
    # substitution day, so the day of filing is Thu 17 Apr: 1 working day → Fri 18 Apr 16:30,
    # 3 working days → Tue 22 Apr 16:30.
    case = complaint(site, now=at(4, 11, 16, 30))
    assert case.response_due_at == at(4, 18, 16, 30)
    assert case.resolution_due_at == at(4, 22, 16, 30)
    assert case.units.get() == site.unit  # routed to the branch's unit of the structure in force


def test_a_24_hour_visit_item_filed_at_2300_is_due_2300_the_next_day(site):
    visit = Visit.objects.create(visited_on=date(2025, 6, 5), title="ผู้ว่าฯ ลงพื้นที่บางเขน", visitors="ผู้ว่าฯ")
    item = services.file_case(kind="visit_item", title="ซ่อมหลังคารั่ว", description="น้ำฝนรั่วเหนือมุมเด็ก",
                              branch=site.branch, visit=visit, by=site.librarian, now=at(6, 5, 23, 0))
    assert item.response_due_at == at(6, 6, 23, 0)
    assert item.resolution_unit == "business_days"
    assert Case.objects.filter(visit=visit).count() == 1


def test_waiting_for_the_requester_pauses_the_clocks(site):
    case = complaint(site, now=at(6, 16, 9, 0))  # Monday 16 Jun 2025
    assert case.resolution_due_at == at(6, 19, 16, 30)  # 3 working days after Monday: Thursday
    services.change_state(case=case, target="waiting", by=site.librarian, now=at(6, 16, 10, 0))
    case.refresh_from_db()
    assert case.responded_at == at(6, 16, 10, 0)
    assert CasePause.objects.filter(case=case, ended_at__isnull=True).count() == 1
    # Waiting from Mon 10:00 to Wed 10:00: 16 office hours paused move the due time 16 office hours.
    services.change_state(case=case, target="in_progress", by=site.librarian, now=at(6, 18, 10, 0))
    case.refresh_from_db()
    assert case.resolution_due_at == at(6, 23, 16, 30)
    assert case.pauses.get().ended_at == at(6, 18, 10, 0)


def test_escalation_to_the_unit_head_at_breach_once(site, mailoutbox, django_capture_on_commit_callbacks):
    case = complaint(site, now=at(6, 16, 9, 0))
    services.change_state(case=case, target="in_progress", by=site.librarian, now=at(6, 16, 9, 30))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_alerts(now=at(6, 19, 16, 31)) >= 1
    alert = Alert.objects.get(case=case, kind="escalation", clock="resolution")
    assert "head@example.org" in alert.recipients
    assert any("head@example.org" in m.to for m in mailoutbox)
    assert services.send_alerts(now=at(6, 19, 17, 0)) == 0
    assert Alert.objects.filter(case=case, kind="escalation").count() == 1
    assert case.comments.filter(event="escalated").exists()


def test_reminders_are_sent_once_before_the_deadline(site, mailoutbox):
    case = complaint(site, now=at(6, 16, 9, 0))
    services.change_state(case=case, target="in_progress", by=site.librarian, now=at(6, 16, 9, 30))
    # Mon 09:00 – Thu 16:30 is 31.5 office hours; a quarter (7.9 h) is left from Thu 08:38.
    assert services.send_alerts(now=at(6, 18, 17, 0)) == 0
    assert services.send_alerts(now=at(6, 19, 9, 0)) == 1
    assert services.send_alerts(now=at(6, 19, 12, 0)) == 0
    assert services.send_alerts(now=at(6, 19, 15, 0)) == 0
    assert Alert.objects.filter(case=case, kind="reminder").count() == 1
    assert not Alert.objects.filter(case=case, kind="escalation").exists()


def test_a_paused_case_gets_no_alerts(site):
    case = complaint(site, now=at(6, 16, 9, 0))
    services.change_state(case=case, target="waiting", by=site.librarian, now=at(6, 16, 9, 30))
    assert services.send_alerts(now=at(6, 30, 9, 0)) == 0


def test_reopen_counts(site):
    case = complaint(site, now=at(6, 16, 9, 0))
    services.answer(case=case, text="ได้ตักเตือนเจ้าหน้าที่แล้ว", by=site.librarian, now=at(6, 16, 11, 0))
    services.reopen(case=case, by=site.librarian, now=at(6, 17, 9, 0), reason="ผู้แจ้งยังไม่พอใจ")
    case.refresh_from_db()
    assert (case.state, case.reopen_count, case.resolved_at) == ("in_progress", 1, None)
    assert case.history.count() >= 4  # filed, answered, resolved, reopened: every change audited
    assert case.filed_at == at(6, 16, 9) + timedelta(0)
