"""Registration with a waiting list: places, promotion in order, notices, and the refusals (nothing stored)."""
from datetime import timedelta

import pytest

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core.models import NotificationAttempt
from bkklib.events import services
from bkklib.events.exceptions import RegistrationRefused
from bkklib.events.models import Registration

from .conftest import NOW

pytestmark = pytest.mark.django_db


def kids(n, **kw):
    return [PatronFactory(birth_date=NOW.date().replace(year=2018), **kw) for _ in range(n)]


def test_the_sixth_child_waits_and_is_promoted_when_a_place_frees(setting, django_capture_on_commit_callbacks):
    regs = [services.register(session=setting.session, patron=p, now=NOW) for p in kids(7)]
    assert [r.status for r in regs] == ["registered"] * 5 + ["waitlisted"] * 2
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(registration=regs[1], patron=regs[1].patron, now=NOW)
    assert [p.pk for p in promoted] == [regs[5].pk]
    regs[5].refresh_from_db()
    assert regs[5].status == "registered" and regs[5].promoted_at == NOW
    attempt = NotificationAttempt.objects.get(about=f"events.registration:{regs[5].pk}")
    assert "ได้ที่นั่งแล้ว: เปิดโลกนิทาน" in attempt.subject


@pytest.mark.parametrize("case, message", [
    ("twice", "ลงทะเบียน"),
    ("past", "เริ่มไปแล้ว"),
    ("age", "อายุ 3–12"),
    ("full", "เต็มแล้ว"),
])
def test_bad_registrations_are_refused_in_thai_and_store_nothing(setting, case, message):
    child = kids(1)[0]
    now = NOW
    patron = child
    if case == "twice":
        services.register(session=setting.session, patron=child, now=NOW)
    elif case == "past":
        now = setting.session.starts_at + timedelta(minutes=1)
    elif case == "age":
        patron = PatronFactory()  # an adult, born 1990
    elif case == "full":
        setting.activity.waitlist = False
        setting.activity.save()
        for p in kids(5):
            services.register(session=setting.session, patron=p, now=NOW)
    before = Registration.objects.count()
    with pytest.raises(RegistrationRefused) as refusal:
        services.register(session=setting.session, patron=patron, now=now)
    assert message in refusal.value.text
    assert Registration.objects.count() == before


def test_a_guest_without_consent_is_refused_and_with_it_registered(setting):
    guest = services.Guest(name="ด.ญ. ใจดี มีสุข", phone="0812345678", age_group="child", consent=False)
    with pytest.raises(RegistrationRefused, match="โปรดยินยอม"):
        services.register(session=setting.session, guest=guest, now=NOW)
    reg = services.register(session=setting.session, guest=guest.__class__(**{**guest.__dict__, "consent": True}),
                            now=NOW)
    assert reg.status == "registered" and reg.consent_at == NOW and reg.channel == "guest"
