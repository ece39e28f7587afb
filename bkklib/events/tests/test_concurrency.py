"""Real parallel registrations on PostgreSQL: the session row lock serves arrivals strictly in order.

Each thread has its own database connection (as each gunicorn worker would); a barrier releases
them together.
"""
import threading

import pytest
from django.db import connection

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core.models import NotificationAttempt
from bkklib.events import services
from bkklib.events.models import Registration

from .conftest import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as exc:  # a refusal would be a finding: the test checks for none
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_fifty_patrons_for_the_last_five_places_then_three_cancellations(postgres_only, setting):
    session = setting.session
    session.capacity = 20
    session.save()
    setting.activity.max_age = None
    setting.activity.save()
    for patron in PatronFactory.create_batch(15):
        services.register(session=session, patron=patron, now=NOW)
    rush = PatronFactory.create_batch(50)

    results = run_together([(lambda p=p: services.register(session=session, patron=p, now=NOW)) for p in rush])

    assert not [r for r in results if isinstance(r, Exception)], results
    rows = list(Registration.objects.filter(session=session, patron__in=rush).order_by("position"))
    assert len(rows) == 50  # none lost
    assert [r.position for r in rows] == list(range(16, 66))  # one arrival number each, no gap, no repeat
    # The first five to take the lock got the places; the other 45 wait in the order they arrived.
    assert [r.status for r in rows] == ["registered"] * 5 + ["waitlisted"] * 45
    assert Registration.objects.filter(session=session, status="registered").count() == 20

    waiting = [r.pk for r in rows[5:]]
    admitted = Registration.objects.filter(session=session, status="registered").order_by("position")[:3]
    promoted = []
    for registration in list(admitted):
        promoted += services.cancel(registration=registration, now=NOW)

    assert [p.pk for p in promoted] == waiting[:3]
    assert Registration.objects.filter(session=session, status="registered").count() == 20
    assert list(Registration.objects.waiting().filter(session=session).values_list("pk", flat=True)) == waiting[3:]
    notified = NotificationAttempt.objects.filter(template_code="events.promoted").values_list("about", flat=True)
    assert sorted(notified) == sorted(f"events.registration:{pk}" for pk in waiting[:3])
