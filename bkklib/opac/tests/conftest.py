"""Fixtures of the public website's tests: a fixed clock and a small network of branches."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bkklib.catalog.tests.factories import ItemFactory, RecordFactory
from bkklib.circulation.services import holds as hold_services
from bkklib.circulation.services import lending
from bkklib.circulation.services import patrons as patron_services
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.models import Branch, Service
from bkklib.network.tests.factories import BranchFactory, district, staff_user
from bkklib.opac import clock

BKK = ZoneInfo("Asia/Bangkok")
TUE_10AM = datetime(2025, 6, 3, 10, 0, tzinfo=BKK)  # 3 มิ.ย. 2568 (Queen Suthida's birthday: a holiday in real life)
WED_10AM = datetime(2025, 6, 4, 10, 0, tzinfo=BKK)
WED_8PM = datetime(2025, 6, 4, 20, 0, tzinfo=BKK)


@pytest.fixture
def fixed_now(monkeypatch):
    """Return a setter that fixes the website's clock at a moment."""

    def set_now(moment: datetime):
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return set_now


@pytest.fixture
def network(db):
    """Three branches in two districts: a city library open late, a library, a reading house closed Wednesdays."""
    coworking, _ = Service.objects.get_or_create(code="coworking", defaults={"name_th": "พื้นที่ทำงานร่วม",
                                                                              "name_en": "Co-working space"})
    city = BranchFactory(
        code="citylib", name_th="หอสมุดเมืองกรุงเทพมหานคร", name_en="Bangkok City Library",
        kind=Branch.Kind.CITY_LIBRARY, district=district("1001"), latitude="13.756900", longitude="100.501800",
        hours=[(d, time(9), time(20, 30)) for d in range(1, 6)] + [(6, time(9), time(20))],
        phone="02 225 7612", address="ถนนราชดำเนินกลาง แขวงบวรนิเวศ",
    )
    city.services.add(coworking)
    bangkhen = BranchFactory(
        code="bangkhen", name_th="ห้องสมุดประชาชนบางเขน", name_en="", kind=Branch.Kind.PUBLIC_LIBRARY,
        district=district("1005"), latitude="13.873000", longitude="100.596000",
    )
    house = BranchFactory(
        code="rh001", name_th="บ้านหนังสือชุมชนทดสอบ", name_en="Test reading house", kind=Branch.Kind.READING_HOUSE,
        district=district("1005"), parent=bangkhen, latitude="13.870000", longitude="100.600000",
        hours=[(d, time(8), time(16)) for d in (0, 1, 3, 4)],
    )
    return {"city": city, "bangkhen": bangkhen, "house": house, "coworking": coworking}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start each test with an empty cache (the results page caches branch names)."""
    from django.core.cache import cache

    cache.clear()


PIN = "4321"


@pytest.fixture
def library(network, fixed_now):
    """The city library's desk: a librarian, two patrons with PINs, a loan and a hold for each."""
    fixed_now(WED_10AM)
    city = network["city"]
    staff = staff_user(roles.BRANCH_LIBRARIAN, city)
    # Card numbers far from those circulation issues to new patrons ("2" + id + check digit).
    alice = PatronFactory(card_number="2990000000017", home_branch=city, first_name_th="อลิสา", last_name_th="ใจดี",
                          email="alice@example.org")
    bob = PatronFactory(card_number="2990000000025", home_branch=city, first_name_th="บุญมี", last_name_th="มีสุข",
                        email="bob@example.org")
    for patron in (alice, bob):
        patron_services.set_pin(patron, PIN)
    painting = RecordFactory(title="ข้างหลังภาพ", author="ศรีบูรพา")
    tales = RecordFactory(title="นิทานอีสปฉบับสองภาษา", author="อีสป")
    secret = RecordFactory(title="บันทึกลับของบุญมี", author="บุญมี")
    alice_loan = lending.checkout(item=ItemFactory(record=painting, branch=city), patron=alice, staff=staff, desk=city,
                                  now=WED_10AM - timedelta(days=10))
    bob_loan = lending.checkout(item=ItemFactory(record=secret, branch=city), patron=bob, staff=staff, desk=city,
                                now=WED_10AM - timedelta(days=3))
    ItemFactory(record=tales, branch=city)
    bob_hold = hold_services.place_hold(record=tales, patron=bob, pickup_branch=city, now=WED_10AM)
    return {"city": city, "staff": staff, "alice": alice, "bob": bob, "painting": painting, "tales": tales,
            "secret": secret, "alice_loan": alice_loan, "bob_loan": bob_loan, "bob_hold": bob_hold,
            "bangkhen": network["bangkhen"]}
