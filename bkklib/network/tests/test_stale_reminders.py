"""Staff responsible for stale branches get one reminder each, by email, through the notification service."""
import pytest
from django.utils import timezone

from bkklib.core import roles
from bkklib.core.models import NotificationAttempt
from bkklib.network import tasks
from bkklib.network.models import OrgUnit, OrgVersion, Position, UnitBranch

from .factories import BranchFactory, StaffMemberFactory, staff_user

pytestmark = pytest.mark.django_db


def test_each_responsible_librarian_gets_one_thai_email_listing_their_stale_branches(smtp_sink):
    stale_a, stale_b = BranchFactory(name_th="ห้องสมุดเก่า ก"), BranchFactory(name_th="ห้องสมุดเก่า ข")
    fresh = BranchFactory(name_th="ห้องสมุดสด", verified_at=timezone.now())
    librarian = staff_user(roles.BRANCH_LIBRARIAN, stale_a, stale_b, fresh, username="somsri")
    librarian.staff_member.work_email = "somsri@library.example"
    librarian.staff_member.save()
    staff_user(roles.BRANCH_STAFF, stale_a, username="helper")  # may not verify: not reminded

    sent = tasks.send_stale_reminders()

    assert sent == 1
    message = smtp_sink.wait_for(1)[0]
    assert message["to"] == ["somsri@library.example"]
    assert message["message"]["subject"].strip() == "ข้อมูลพื้นฐานห้องสมุด 2 แห่งต้องตรวจสอบ"
    body = message["message"].get_content()
    assert "ห้องสมุดเก่า ก (ยังไม่เคยยืนยัน)" in body and "ห้องสมุดเก่า ข" in body
    assert "ห้องสมุดสด" not in body and "/staff/network/freshness/" in body
    attempt = NotificationAttempt.objects.get()
    assert attempt.status == NotificationAttempt.Status.SENT and attempt.template_code == tasks.REMINDER_TEMPLATE


def test_a_branch_without_a_librarian_reminds_the_head_of_its_group(smtp_sink):
    orphan = BranchFactory(name_th="บ้านหนังสือไม่มีบรรณารักษ์")
    head = StaffMemberFactory(work_email="head@library.example")
    version = OrgVersion.objects.create(name_th="โครงสร้าง", effective_from=timezone.localdate())
    division = OrgUnit.objects.create(version=version, code="division", kind=OrgUnit.Kind.DIVISION, name_th="ส่วน")
    group = OrgUnit.objects.create(version=version, parent=division, code="g1", name_th="กลุ่มงาน 1")
    UnitBranch.objects.create(version=version, unit=group, branch=orphan)
    Position.objects.create(unit=group, code="head", title_th="หัวหน้ากลุ่มงาน", is_head=True, holder=head)

    assert tasks.send_stale_reminders() == 1
    assert smtp_sink.wait_for(1)[0]["to"] == ["head@library.example"]


def test_nothing_is_sent_when_every_branch_is_fresh(smtp_sink):
    branch = BranchFactory(verified_at=timezone.now())
    staff_user(roles.BRANCH_LIBRARIAN, branch)
    assert tasks.send_stale_reminders() == 0
    assert not NotificationAttempt.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_huey_consumer_sends_the_reminders(reference_data, huey_consumer, smtp_sink):
    stale = BranchFactory(name_th="ห้องสมุดรอยืนยัน")
    librarian = staff_user(roles.BRANCH_LIBRARIAN, stale, username="consumer_case")
    librarian.staff_member.work_email = "consumer@library.example"
    librarian.staff_member.save()

    result = tasks.remind_stale_branches_now()

    assert result.get(blocking=True, timeout=20) == 1
    assert smtp_sink.wait_for(1)[0]["to"] == ["consumer@library.example"]


def test_the_reminder_runs_daily_at_eight_in_the_morning_bangkok_time():
    from datetime import datetime

    task = tasks.remind_stale_branches.task_class()
    # huey's crontab is in UTC: 01:00 UTC is 08:00 in Bangkok.
    assert task.validate_datetime(datetime(2025, 6, 3, 1, 0))
    assert task.validate_datetime(datetime(2025, 6, 4, 1, 0))
    assert not task.validate_datetime(datetime(2025, 6, 3, 2, 0))
