"""Fixtures of the public website's tests: a fixed clock and a small network of branches."""
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bkklib.network.models import Branch, Service
from bkklib.network.tests.factories import BranchFactory, district
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
