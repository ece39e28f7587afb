"""Buddhist Era formatting and the Thai fiscal year, at their edges."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from bkklib.core import calendar

BKK = ZoneInfo("Asia/Bangkok")


def test_short_and_long_buddhist_era_dates():
    assert calendar.thai_date(date(2022, 6, 8)) == "8 มิ.ย. 2565"
    assert calendar.thai_date(date(2022, 6, 8), long=True) == "8 มิถุนายน 2565"


def test_leap_day_is_formatted_in_the_buddhist_era():
    assert calendar.thai_date(date(2024, 2, 29)) == "29 ก.พ. 2567"
    assert calendar.be_year(date(2024, 2, 29)) == 2567


def test_year_end_and_new_year():
    assert calendar.thai_date(date(2022, 12, 31), long=True) == "31 ธันวาคม 2565"
    assert calendar.thai_date(date(2023, 1, 1)) == "1 ม.ค. 2566"


def test_an_aware_datetime_is_shown_in_bangkok_time():
    # 17:30 UTC on 31 Dec is already 1 Jan in Bangkok (UTC+7).
    moment = datetime(2022, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC"))
    assert calendar.thai_date(moment) == "1 ม.ค. 2566"
    assert calendar.thai_datetime(moment) == "1 ม.ค. 2566 00:30 น."


def test_english_keeps_the_common_era():
    assert calendar.thai_date(date(2022, 6, 8), lang="en") == "8 Jun 2022"


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2022, 6, 8), 2565),
        (date(2022, 9, 30), 2565),
        (date(2022, 10, 1), 2566),
        (date(2022, 12, 31), 2566),
        (date(2023, 1, 1), 2566),
        (date(2024, 2, 29), 2567),
    ],
)
def test_fiscal_year_runs_from_october_to_september(day, fy):
    assert calendar.fiscal_year(day) == fy


def test_fiscal_year_of_a_late_evening_utc_timestamp_uses_bangkok_date():
    moment = datetime(2022, 9, 30, 18, 0, tzinfo=ZoneInfo("UTC"))  # 1 Oct 01:00 in Bangkok
    assert calendar.fiscal_year(moment) == 2566


def test_fiscal_year_bounds_and_quarters():
    assert calendar.fiscal_year_bounds(2566) == (date(2022, 10, 1), date(2023, 9, 30))
    assert calendar.fiscal_quarter(date(2022, 10, 1)) == 1
    assert calendar.fiscal_quarter(date(2022, 12, 31)) == 1
    assert calendar.fiscal_quarter(date(2023, 1, 1)) == 2
    assert calendar.fiscal_quarter(date(2023, 9, 30)) == 4
    assert calendar.fiscal_year_label(date(2022, 6, 8)) == "ปีงบประมาณ 2565"


def test_template_filters_follow_the_active_language():
    template = Template("{{ d|thaidate }} / {{ d|thaidate:'long' }} / {{ d|fiscalyear }}")
    with translation.override("th"):
        assert template.render(Context({"d": date(2022, 6, 8)})) == "8 มิ.ย. 2565 / 8 มิถุนายน 2565 / ปีงบประมาณ 2565"
    with translation.override("en"):
        assert template.render(Context({"d": date(2022, 6, 8)})) == "8 Jun 2022 / 8 June 2022 / Fiscal year 2565"
