"""Real parallel patrons on PostgreSQL over HTTP: 20 people press "Book" on the same slot at once.

Each patron has their own signed-in session and the site runs in pytest-django's live server (one
thread and one database connection per request, as gunicorn workers would). Exactly one booking is
made; the 19 others get the Thai refusal page (422) naming the space, and nobody gets a 5xx.
"""
import re
import threading
from datetime import datetime, time, timedelta

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bkklib.circulation.tests.conftest import load_reference_data
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.network.tests.factories import BranchFactory
from bkklib.opac.account import SESSION_KEY
from bkklib.spaces import queries
from bkklib.spaces.models import Booking

from .factories import SpaceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def next_tuesday_at(hour: int) -> datetime:
    today = timezone.localdate()
    day = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    return queries.aware(datetime.combine(day, time(hour)))


def signed_in(base: str, patron, path: str) -> tuple[requests.Session, str]:
    """Return an HTTP session signed in as ``patron`` and the CSRF token of the booking page."""
    store = SessionStore()
    store[SESSION_KEY] = patron.pk
    store.create()
    http = requests.Session()
    http.cookies.set("sessionid", store.session_key)
    page = http.get(base + path, timeout=30)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return http, token


def test_twenty_patrons_booking_one_slot_at_once_make_exactly_one_booking(postgres_only, live_server):
    load_reference_data()
    branch = BranchFactory()
    desk = SpaceFactory(branch=branch, name_th="โต๊ะริมหน้าต่าง")
    start = next_tuesday_at(10)
    path = f"/spaces/{branch.code}/book/?space={desk.pk}&start={queries.local(start):%Y-%m-%dT%H:%M}"
    clients = [signed_in(live_server.url, PatronFactory(home_branch=branch), path) for _ in range(20)]
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def press_book(i, http, token):
        barrier.wait(timeout=30)
        response = http.post(live_server.url + path, timeout=60, headers={"Referer": live_server.url + path},
                             data={"csrfmiddlewaretoken": token, "space": desk.pk,
                                   "start": f"{queries.local(start):%Y-%m-%dT%H:%M}", "slots": 1, "people": 1},
                             allow_redirects=False)
        results[i] = (response.status_code, response.text)

    threads = [threading.Thread(target=press_book, args=(i, *c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    codes = sorted(code for code, _text in results)
    assert codes.count(302) == 1, [text[:3000] for code, text in results if code >= 500][:1]
    refusals = [text for code, text in results if code == 422]
    assert len(refusals) == 19 and all(c < 500 for c in codes), codes
    assert all("โต๊ะริมหน้าต่าง ถูกจองแล้วในเวลานี้" in text for text in refusals)
    assert Booking.objects.filter(space=desk).count() == 1


def test_the_exclusion_constraint_refuses_an_overlap_written_around_the_services(postgres_only):
    load_reference_data()
    desk = SpaceFactory()
    patron = PatronFactory()
    start = next_tuesday_at(10)
    common = {"space": desk, "branch": desk.branch, "patron": patron, "created_at": timezone.now()}
    Booking.objects.create(starts_at=start, ends_at=start + timedelta(hours=2), **common)
    with pytest.raises(IntegrityError, match="spaces_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(starts_at=start + timedelta(hours=1), ends_at=start + timedelta(hours=3), **common)
    # Cancelled bookings do not hold the space; touching ones do not overlap.
    Booking.objects.create(starts_at=start + timedelta(hours=2), ends_at=start + timedelta(hours=3), **common)
    Booking.objects.create(starts_at=start, ends_at=start + timedelta(hours=1), status=Booking.Status.CANCELLED,
                           **common)
    assert connection.vendor == "postgresql"
