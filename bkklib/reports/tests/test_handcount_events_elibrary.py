"""Hand counts of the events and e-library indicators across the fiscal-year boundary in Bangkok time
(handcount.py): the stored daily and monthly figures, and a rebuild that stores the same rows."""
from datetime import date, timedelta

import pytest

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.events.models import Activity, Registration, WalkIn
from bkklib.events.tests.factories import ActivityFactory, SessionFactory

from .handcount import FY69, FY70, OCT, OCT1, SEP, SEP30, at, check, rebuild_agrees, run_nights, two_branches

pytestmark = pytest.mark.django_db


def register(session, patron, *, group="child", gender="female", checked_in=True, status="registered"):
    return Registration.objects.create(
        session=session, patron=patron, age_group=group, gender=gender, status=status,
        position=Registration.objects.filter(session=session).count() + 1,
        channel=Registration.Channel.STAFF, registered_at=session.starts_at - timedelta(days=3),
        checked_in_at=session.starts_at if checked_in else None)


def test_activities_held_and_participants_equal_the_hand_count():
    two = two_branches()
    story_a, story_b = ActivityFactory(branch=two.a), ActivityFactory(branch=two.b)
    called_off = ActivityFactory(branch=two.a, status=Activity.Status.CANCELLED)
    sep_late = SessionFactory(activity=story_a, starts_at=at(2026, 9, 30, 23, 59))  # Sep, FY 2569
    oct_first = SessionFactory(activity=story_a, starts_at=at(2026, 10, 1, 0, 0))  # 17:00 UTC on 30 Sep: FY 2570
    at_b = SessionFactory(activity=story_b, starts_at=at(2026, 10, 1, 14))
    SessionFactory(activity=story_b, starts_at=at(2026, 10, 1, 16), cancelled=True)  # a cancelled session
    SessionFactory(activity=called_off, starts_at=at(2026, 10, 1, 10))  # its activity was cancelled
    SessionFactory(activity=story_a, starts_at=at(2026, 9, 29, 23, 59))  # outside the period
    outside = SessionFactory(activity=story_a, starts_at=at(2026, 10, 2, 0, 0))  # outside the period
    p = [PatronFactory() for _ in range(5)]
    register(sep_late, p[0])  # child, female, checked in
    register(sep_late, p[1], checked_in=False)  # registered but never came: not a participant
    register(oct_first, p[0])
    register(oct_first, p[2], group="adult", gender="male")
    register(oct_first, p[3], status="cancelled", checked_in=False)
    register(at_b, p[4], group="senior", gender="male")
    register(outside, p[1])
    WalkIn.objects.create(session=oct_first, age_group="child", gender="female", count=3)
    WalkIn.objects.create(session=at_b, age_group="youth", gender="unspecified", count=2)
    WalkIn.objects.create(session=outside, age_group="youth", gender="male", count=9)
    run_nights()

    a, b = two.a.pk, two.b.pk
    # held: A's 23:59 session on 30 Sep; on 1 Oct A's 00:00 session and B's 14:00 one (not the cancelled ones)
    check("events.activities_held",
          days={(SEP30, a, ""): 1, (OCT1, a, ""): 1, (OCT1, b, ""): 1},
          months={(SEP, FY69, a, ""): 1, (OCT, FY70, a, ""): 1, (OCT, FY70, b, ""): 1})
    child_f, adult_m = "age_group=child|gender=female", "age_group=adult|gender=male"
    senior_m, youth_u = "age_group=senior|gender=male", "age_group=youth|gender=unspecified"
    # 30 Sep at A: p0 checked in (p1 never came). 1 Oct at A: p0 + 3 walk-in girls = 4 child/female, p2 adult/male;
    # 1 Oct at B: p4 senior/male, 2 walk-in youth.
    check("events.participants",
          days={(SEP30, a, child_f): 1, (OCT1, a, child_f): 4, (OCT1, a, adult_m): 1, (OCT1, b, senior_m): 1,
                (OCT1, b, youth_u): 2},
          months={(SEP, FY69, a, child_f): 1, (OCT, FY70, a, child_f): 4, (OCT, FY70, a, adult_m): 1,
                  (OCT, FY70, b, senior_m): 1, (OCT, FY70, b, youth_u): 2})
    rebuild_agrees(["events.activities_held", "events.participants"])


def test_eloans_readers_and_turnaways_equal_the_hand_count():
    from bkklib.catalog.tests.factories import RecordFactory
    from bkklib.elibrary.models import ELoan, Licence, Title, Turnaway

    title = Title.objects.create(record=RecordFactory(), title="นิทานริมน้ำ", format=Title.Format.STREAM,
                                 stream_url="https://example.org/audio/1",
                                 created_at=at(2026, 1, 1, 9))
    licence = Licence.objects.create(title=title, kind="open", starts_on=date(2026, 1, 1))

    def lend(reader, when, channel="web"):
        return ELoan.objects.create(title=title, licence=licence, reader_key=reader, channel=channel, started_at=when,
                                    ends_at=when + timedelta(days=14), returned_at=when + timedelta(hours=1),
                                    ended="returned")

    lend("r1", at(2026, 9, 30, 23, 59))  # Sep, FY 2569
    lend("r1", at(2026, 10, 1, 0, 0))  # 17:00 UTC on 30 Sep: FY 2570
    lend("r1", at(2026, 10, 1, 20), channel="opds")  # the same reader again that day: one reader
    lend("r2", at(2026, 10, 1, 21), channel="opds")
    lend("r3", at(2026, 9, 29, 23, 59))  # outside the period
    lend("r3", at(2026, 10, 2, 0, 0))  # outside the period
    Turnaway.objects.create(title=title, at=at(2026, 9, 30, 23, 59, 59))
    Turnaway.objects.create(title=title, at=at(2026, 10, 1, 0, 0))
    Turnaway.objects.create(title=title, at=at(2026, 10, 1, 12))
    Turnaway.objects.create(title=title, at=at(2026, 10, 2, 0, 0, 1))  # outside the period
    run_nights()

    # the e-library belongs to no branch: every figure's branch is None
    check("elibrary.eloans",
          days={(SEP30, None, "channel=web"): 1, (OCT1, None, "channel=web"): 1, (OCT1, None, "channel=opds"): 2},
          months={(SEP, FY69, None, "channel=web"): 1, (OCT, FY70, None, "channel=web"): 1,
                  (OCT, FY70, None, "channel=opds"): 2})
    # readers a day: r1 on 30 Sep; r1 (twice) and r2 on 1 Oct = 2. A month sums its days: a reader of both days
    # of a month would count twice (the definition says "a reader counted once a day").
    check("elibrary.readers", days={(SEP30, None, ""): 1, (OCT1, None, ""): 2},
          months={(SEP, FY69, None, ""): 1, (OCT, FY70, None, ""): 2})
    check("elibrary.turnaways", days={(SEP30, None, ""): 1, (OCT1, None, ""): 2},
          months={(SEP, FY69, None, ""): 1, (OCT, FY70, None, ""): 2})
    rebuild_agrees(["elibrary.eloans", "elibrary.readers", "elibrary.turnaways"])
