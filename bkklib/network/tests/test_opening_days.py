"""is_open / next_open_day across weekly hours, public holidays and branch closures."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from bkklib.network import queries, services
from bkklib.network.models import Branch, Closure

from .factories import BranchFactory

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")

# Bangkok City Library hours: Tue–Sat 09.00–20.30, Sun 09.00–20.00, closed Mondays.
CITY_LIBRARY_HOURS = [(d, time(9), time(20, 30)) for d in range(1, 6)] + [(6, time(9), time(20))]


@pytest.fixture
def city_library():
    return BranchFactory(hours=CITY_LIBRARY_HOURS)


def test_open_during_hours_and_closed_outside_them(city_library):
    tuesday = date(2025, 6, 3)
    assert queries.is_open(city_library, datetime(2025, 6, 3, 9, 0, tzinfo=BKK))
    assert queries.is_open(city_library, datetime(2025, 6, 3, 20, 29, tzinfo=BKK))
    assert not queries.is_open(city_library, datetime(2025, 6, 3, 20, 30, tzinfo=BKK))
    assert not queries.is_open(city_library, datetime(2025, 6, 3, 8, 59, tzinfo=BKK))
    assert queries.is_open_on(city_library, tuesday)


def test_closed_on_mondays(city_library):
    monday = date(2025, 6, 2)
    assert not queries.is_open_on(city_library, monday)
    assert queries.next_open_day(city_library, monday) == date(2025, 6, 3)


def test_a_utc_moment_is_judged_in_bangkok_time(city_library):
    # 02:30 UTC Tuesday = 09:30 Bangkok Tuesday.
    assert queries.is_open(city_library, datetime(2025, 6, 3, 2, 30, tzinfo=ZoneInfo("UTC")))


def test_public_holidays_close_every_branch(city_library):
    services.load_holidays(years=[2025])
    # 3 Jun 2025 (Tuesday) is Queen Suthida's birthday; 2 Jun is a Monday.
    assert not queries.is_open_on(city_library, date(2025, 6, 3))
    assert queries.next_open_day(city_library, date(2025, 6, 2)) == date(2025, 6, 4)


def test_holidays_spanning_several_days_are_all_skipped(city_library):
    services.load_holidays(years=[2025])
    # Songkran 13–15 Apr 2025 (Sun–Tue), plus the substitute day on Wednesday 16 Apr.
    assert queries.next_open_day(city_library, date(2025, 4, 13)) == date(2025, 4, 17)


def test_loading_holidays_twice_adds_nothing_the_second_time():
    first = services.load_holidays(years=[2025])
    assert first > 10
    assert services.load_holidays(years=[2025]) == 0


def test_a_branch_closure_applies_to_that_branch_only(city_library):
    other = BranchFactory(hours=CITY_LIBRARY_HOURS)
    services.add_closure(branch=city_library, starts_on=date(2025, 6, 4), ends_on=date(2025, 6, 6),
                         reason_th="ปรับปรุงระบบไฟฟ้า")
    assert not queries.is_open_on(city_library, date(2025, 6, 5))
    assert queries.is_open_on(other, date(2025, 6, 5))
    assert queries.next_open_day(city_library, date(2025, 6, 4)) == date(2025, 6, 7)


def test_a_closed_status_means_never_open(city_library):
    city_library.status = Branch.Status.UNDER_RENOVATION
    city_library.save()
    assert not queries.is_open_on(city_library, date(2025, 6, 3))
    assert queries.next_open_day(city_library, date(2025, 6, 3)) is None


def test_a_closure_that_ends_before_it_starts_is_refused_with_a_field_error(city_library):
    with pytest.raises(ValidationError) as info:
        services.add_closure(branch=city_library, starts_on=date(2025, 6, 6), ends_on=date(2025, 6, 4),
                             reason_th="ผิด")
    assert "ends_on" in info.value.message_dict
    assert not Closure.objects.exists()


def test_open_day_checker_agrees_with_is_open_on(city_library):
    services.load_holidays(years=[2025])
    start, end = date(2025, 4, 1), date(2025, 5, 31)
    check = queries.open_day_checker(city_library, start, end)
    day = start
    while day <= end:
        assert check(day) == queries.is_open_on(city_library, day), day
        day = day.fromordinal(day.toordinal() + 1)
