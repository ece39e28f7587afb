"""A small real network for the public website's browser tests (built through the ORM, per test)."""
from datetime import datetime, time
from zoneinfo import ZoneInfo

BKK = ZoneInfo("Asia/Bangkok")
WED_10AM = datetime(2025, 6, 4, 10, 0, tzinfo=BKK)
WED_8PM = datetime(2025, 6, 4, 20, 0, tzinfo=BKK)  # only the city library (until 20.30) is open


def build_network() -> dict:
    """Create three branches: a city library open late, a library, a reading house shut on Wednesdays."""
    from bkklib.network.models import Branch, Service
    from bkklib.network.tests.factories import BranchFactory, district

    coworking = Service.objects.get(code="co-working")
    city = BranchFactory(
        code="citylib", name_th="หอสมุดเมืองกรุงเทพมหานคร", name_en="Bangkok City Library",
        kind=Branch.Kind.CITY_LIBRARY, district=district("1001"), latitude="13.756900", longitude="100.501800",
        hours=[(d, time(9), time(20, 30)) for d in range(1, 6)] + [(6, time(9), time(20))],
        phone="02 225 7612", address="ถนนราชดำเนินกลาง แขวงบวรนิเวศ เขตพระนคร",
        verified_at=datetime(2025, 5, 20, 9, 0, tzinfo=BKK),
    )
    city.services.add(coworking, Service.objects.get(code="children"))
    bangkhen = BranchFactory(
        code="bangkhen", name_th="ห้องสมุดประชาชนบางเขน", name_en="Bang Khen Public Library",
        kind=Branch.Kind.PUBLIC_LIBRARY, district=district("1005"), latitude="13.873000", longitude="100.596000",
    )
    house = BranchFactory(
        code="rh001", name_th="บ้านหนังสือชุมชนวัดบางบัว", name_en="", kind=Branch.Kind.READING_HOUSE,
        district=district("1005"), parent=bangkhen, latitude="13.870000", longitude="100.600000",
        hours=[(d, time(8), time(16)) for d in (0, 1, 3, 4)],
    )
    return {"city": city, "bangkhen": bangkhen, "house": house}


def staff_log_in(page, base: str, username: str, password: str = "pass-1234!") -> None:
    """Sign ``username`` in through the staff log-in page (in Thai) and wait for the staff home."""
    page.goto(f"{base}/staff/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{base}/staff/")
