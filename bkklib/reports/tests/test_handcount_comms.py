"""Hand counts of the comms indicators across the fiscal-year boundary in Bangkok time (handcount.py).

Comms sits beside reports in the layers of apps (pyproject.toml): its models are reached through the app registry,
as the aggregation reaches its figures through the indicator registry."""
from datetime import timedelta

import pytest
from django.apps import apps

from bkklib.core import roles
from bkklib.network.tests.factories import staff_user

from .handcount import FY69, FY70, OCT, OCT1, SEP, SEP30, at, check, rebuild_agrees, run_nights, two_branches

pytestmark = pytest.mark.django_db


def test_posts_published_and_reach_equal_the_hand_count():
    Channel, Post, Reach, Variant = (apps.get_model("comms", name) for name in ("Channel", "Post", "Reach", "Variant"))
    two = two_branches()
    author, reviewer = staff_user(roles.BRANCH_STAFF, two.a), staff_user(roles.BRANCH_LIBRARIAN, two.a)
    facebook = Channel.objects.create(kind="facebook", name="เฟซบุ๊กห้องสมุด")
    line = Channel.objects.create(kind="line", name="ไลน์ห้องสมุด")
    made = [0]

    def post(branch, when, *variants):
        """A post of ``branch`` published at ``when`` on each (channel, state, reach) of ``variants``."""
        p = Post.objects.create(title="นิทานยามเช้า", text="ชวนฟังนิทาน", branch=branch, status="published",
                                author=author, approved_by=reviewer, approved_at=when - timedelta(days=1),
                                publish_at=when, published_at=when)
        for channel, state, reach in variants:
            made[0] += 1
            v = Variant.objects.create(post=p, channel=channel, state=state,
                                       external_id=f"ext-{made[0]}" if state == "published" else "",
                                       published_at=when if state == "published" else None)
            if reach is not None:
                Reach.objects.create(variant=v, reach=reach, origin="api", imported_at=when + timedelta(days=2))

    post(two.a, at(2026, 9, 30, 23, 59), (facebook, "published", 100), (line, "published", 40))  # Sep, FY 2569
    post(two.a, at(2026, 10, 1, 0, 0), (facebook, "published", 70), (line, "failed", None))  # Oct; LINE failed
    post(two.b, at(2026, 10, 1, 12), (line, "published", None))  # no reach imported yet: counted as a post only
    post(None, at(2026, 10, 1, 15), (facebook, "published", 500))  # the division's own: no branch
    post(two.b, at(2026, 10, 2, 0, 0), (facebook, "published", 900))  # outside the period
    run_nights()

    a, b = two.a.pk, two.b.pk
    fb, ln = "channel_kind=facebook", "channel_kind=line"
    # a post counts once per channel it was published on: A on 30 Sep on Facebook and LINE
    check("comms.posts_published",
          days={(SEP30, a, fb): 1, (SEP30, a, ln): 1, (OCT1, a, fb): 1, (OCT1, b, ln): 1, (OCT1, None, fb): 1},
          months={(SEP, FY69, a, fb): 1, (SEP, FY69, a, ln): 1, (OCT, FY70, a, fb): 1, (OCT, FY70, b, ln): 1,
                  (OCT, FY70, None, fb): 1})
    # reach: 100 + 40 on 30 Sep at A; 70 at A and 500 for the division on 1 Oct (B's LINE post has none yet)
    check("comms.reach",
          days={(SEP30, a, fb): 100, (SEP30, a, ln): 40, (OCT1, a, fb): 70, (OCT1, None, fb): 500},
          months={(SEP, FY69, a, fb): 100, (SEP, FY69, a, ln): 40, (OCT, FY70, a, fb): 70, (OCT, FY70, None, fb): 500})
    rebuild_agrees(["comms.posts_published", "comms.reach"])
