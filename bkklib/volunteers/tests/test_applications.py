"""Applying, screening, interview, decision, sign-in, and deletion of applicants not accepted."""
from datetime import timedelta

import pytest
from django.utils import translation

from bkklib.core.models import AccessLog
from bkklib.volunteers import pdpa, protect, services
from bkklib.volunteers.exceptions import AlreadyApplied, CriteriaNotMet, InvalidNationalId
from bkklib.volunteers.models import Application, Volunteer

from .conftest import NOW, application_data, born, thai_id


def test_an_invalid_national_id_is_refused_in_thai_and_nothing_is_stored(world):
    before = Application.objects.count()
    with translation.override("th"), pytest.raises(InvalidNationalId) as caught:
        services.apply(call=world.call, **application_data(national_id="1101700203451"), now=NOW)
    assert caught.value.code == "invalid_national_id"
    assert "ไม่ใช่เลขประจำตัวประชาชนที่ถูกต้อง" in caught.value.text
    assert Application.objects.count() == before


def test_an_applicant_under_the_age_limit_is_refused_in_thai_and_nothing_is_stored(world):
    before = Application.objects.count()
    with translation.override("th"), pytest.raises(CriteriaNotMet) as caught:
        services.apply(call=world.call, **application_data(national_id=thai_id("110170020346"),
                                                           birth_date=born(15, days_after=1)), now=NOW)
    assert caught.value.codes == ["too_young"]
    assert caught.value.text == "ผู้สมัครต้องมีอายุอย่างน้อย 15 ปี คุณอายุ 14 ปี"
    assert Application.objects.count() == before


def test_seventeen_needs_a_named_guardians_consent(world):
    data = application_data(national_id=thai_id("110170020347"), birth_date=born(17))
    with pytest.raises(CriteriaNotMet) as caught:
        services.apply(call=world.call, **data, guardian_consent=True, guardian_name="", now=NOW)
    assert caught.value.codes == ["needs_consent"]
    application = services.apply(call=world.call, **data, guardian_consent=True, guardian_name="นางสมศรี ใฝ่ดี",
                                 now=NOW)
    assert application.guardian_consent


def test_eighteen_today_applies_without_consent(world):
    application = services.apply(call=world.call, **application_data(national_id=thai_id("110170020348"),
                                                                     birth_date=born(18)), now=NOW)
    assert application.status == Application.Status.SUBMITTED


def test_too_few_hours_are_refused_with_the_figures(world):
    with translation.override("th"), pytest.raises(CriteriaNotMet) as caught:
        services.apply(call=world.call, **application_data(national_id=thai_id("110170020349"), hours_per_week=3),
                       now=NOW)
    assert caught.value.codes == ["hours"]
    assert "อย่างน้อย 4 ชั่วโมงต่อสัปดาห์" in caught.value.text and "3" in caught.value.text


def test_the_id_address_and_health_notes_are_stored_sealed_and_the_id_once_per_call(world):
    application = services.apply(call=world.call, **application_data(national_id=thai_id("110170020350")), now=NOW)
    stored = Application.objects.get(pk=application.pk)
    assert thai_id("110170020350") not in stored.national_id_sealed
    assert "ราชดำเนิน" not in stored.address_sealed and stored.address_sealed.startswith("gAAAAA")  # Fernet
    assert protect.unseal(stored.national_id_sealed) == thai_id("110170020350")
    with pytest.raises(AlreadyApplied):
        services.apply(call=world.call, **application_data(national_id=thai_id("110170020350")), now=NOW)


def test_screening_interview_and_decision_make_a_volunteer(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.apply(call=world.call, **application_data(national_id=thai_id("110170020351")),
                                     now=NOW)
    assert [m.to for m in mailoutbox] == [["somjai@example.org"]] and application.reference in mailoutbox[0].body
    services.screen(application=application, by=world.librarian, passed=True, note="เอกสารครบ", now=NOW)
    services.schedule_interview(application=application, by=world.librarian, at=NOW + timedelta(days=2),
                                place="ห้องประชุมชั้น 2", now=NOW)
    services.record_interview(application=application, by=world.librarian, notes="มีประสบการณ์เล่านิทาน")
    services.decide(application=application, by=world.librarian, accept=True, reason="เหมาะกับมุมเด็ก", now=NOW)
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED and application.decision_reason == "เหมาะกับมุมเด็ก"
    volunteer = Volunteer.objects.get(application=application)
    assert volunteer.branch == world.branch and volunteer.national_id_sealed == application.national_id_sealed
    user = services.make_account(application=application, password="ยาวพอสมควร-2568")
    assert user.username == volunteer.code and user.check_password("ยาวพอสมควร-2568")


def test_staff_of_another_branch_cannot_decide(world):
    from bkklib.core.exceptions import NotPermitted

    application = services.apply(call=world.call, **application_data(national_id=thai_id("110170020352")), now=NOW)
    with pytest.raises(NotPermitted):
        services.decide(application=application, by=world.other_librarian, accept=True, reason="x", now=NOW)


def test_rejected_applicants_personal_data_is_deleted_after_the_retention_period(world):
    application = services.apply(call=world.call, **application_data(national_id=thai_id("110170020353")), now=NOW)
    services.decide(application=application, by=world.librarian, accept=False, reason="ช่วงเวลาไม่ตรง", now=NOW)
    assert pdpa.purge_unaccepted(NOW + timedelta(days=pdpa.RETENTION_DAYS - 1)) == 0
    assert pdpa.purge_unaccepted(NOW + timedelta(days=pdpa.RETENTION_DAYS + 1)) == 1
    application.refresh_from_db()
    assert application.erased_at and application.national_id_sealed == "" and application.first_name == "—"
    assert application.status == Application.Status.REJECTED  # the facts stay for recruitment figures


def test_sensitive_fields_are_read_only_with_the_permission_and_each_read_is_logged(world):
    from bkklib.core.exceptions import NotPermitted

    fields = services.sensitive_fields(world.volunteer, world.librarian, path="/t")
    assert fields["national_id"] == thai_id("310170020345") and fields["health_notes"] == "แพ้ฝุ่น"
    assert AccessLog.objects.filter(subject=f"volunteers.volunteer:{world.volunteer.pk}",
                                    action="view_sensitive", user=world.librarian).count() == 1
    with pytest.raises(NotPermitted):
        services.sensitive_fields(world.volunteer, world.desk)
    with pytest.raises(NotPermitted):
        services.sensitive_fields(world.volunteer, world.other_librarian)
    assert AccessLog.objects.filter(subject=f"volunteers.volunteer:{world.volunteer.pk}").count() == 1
