"""The pure rules: criteria at their edges, resignation notice across holidays, scores, hours per fiscal year."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bkklib.network.rules.workdays import WorkCalendar
from bkklib.volunteers import rules

BKK = ZoneInfo("Asia/Bangkok")
TODAY = date(2025, 6, 2)
CRITERIA = rules.CriteriaData(min_age=17, consent_below_age=18, min_hours_per_week=4)


def applicant(birth, *, consent=False, hours=4, **kw):
    return rules.Applicant(birth_date=birth, district_id=kw.get("district"), hours_per_week=hours,
                           guardian_consent=consent, skills=kw.get("skills", ()), documents=kw.get("documents", ()))


def reasons(a, criteria=CRITERIA):
    return [u.reason for u in rules.unmet_criteria(a, criteria, today=TODAY)]


def test_age_turns_on_the_birthday_not_the_day_before():
    assert rules.age_on(date(2007, 6, 2), TODAY) == 18
    assert rules.age_on(date(2007, 6, 3), TODAY) == 17


def test_eighteen_today_needs_no_consent():
    assert reasons(applicant(date(2007, 6, 2))) == []


def test_seventeen_without_consent_is_refused_for_consent_and_with_consent_is_eligible():
    assert reasons(applicant(date(2007, 6, 3))) == ["needs_consent"]
    assert reasons(applicant(date(2007, 6, 3), consent=True)) == []


def test_a_day_under_the_minimum_age_is_too_young_even_with_consent():
    assert reasons(applicant(date(2008, 6, 3), consent=True)) == ["too_young"]
    assert reasons(applicant(date(2008, 6, 2), consent=True)) == []


def test_hours_at_the_minimum_pass_and_one_below_fails():
    assert reasons(applicant(date(1990, 1, 1), hours=4)) == []
    unmet = rules.unmet_criteria(applicant(date(1990, 1, 1), hours=3), CRITERIA, today=TODAY)
    assert [(u.reason, u.params) for u in unmet] == [("hours", {"hours": 3, "min_hours": 4})]


def test_district_skills_and_documents_are_checked_together():
    criteria = rules.CriteriaData(min_age=15, district_ids=frozenset({7}), skills=("เล่านิทาน",),
                                  documents=("สำเนาบัตรประชาชน", "ทะเบียนบ้าน"))
    a = applicant(date(1990, 1, 1), district=8, skills=("วาดรูป",), documents=("สำเนาบัตรประชาชน",))
    assert reasons(a, criteria) == ["district", "skills", "documents"]
    good = applicant(date(1990, 1, 1), district=7, skills=(" เล่านิทาน ",), documents=("ทะเบียนบ้าน", "สำเนาบัตรประชาชน"))
    assert reasons(good, criteria) == []


def test_maximum_age_is_inclusive():
    criteria = rules.CriteriaData(min_age=15, max_age=65)
    assert reasons(applicant(date(1960, 6, 2)), criteria) == []
    assert reasons(applicant(date(1959, 6, 2)), criteria) == ["too_old"]


# A calendar with the Visakha Bucha day (พุธ 11 มิ.ย. 2568) and a substitution Monday 2 June 2568 off.
HOLIDAYS = WorkCalendar(holidays=frozenset({date(2025, 6, 3), date(2025, 6, 11)}))


def test_five_working_days_notice_skips_the_weekend_and_a_holiday():
    filed = datetime(2025, 6, 6, 10, 0, tzinfo=BKK)  # Friday
    # Working days after Fri 6: Mon 9, Tue 10, (Wed 11 holiday), Thu 12, Fri 13, (weekend), Mon 16.
    assert rules.resignation_effective(HOLIDAYS, filed_at=filed, notice_days=5) == datetime(
        2025, 6, 16, 16, 30, tzinfo=BKK)


def test_notice_filed_after_office_hours_counts_from_the_next_working_day():
    filed = datetime(2025, 6, 2, 17, 0, tzinfo=BKK)  # Monday after 16.30; Tuesday 3 is a holiday
    # Day of filing becomes Wed 4; five working days after it: 5, 6, 9, 10, 12 (11 is a holiday).
    assert rules.resignation_effective(HOLIDAYS, filed_at=filed, notice_days=5) == datetime(
        2025, 6, 12, 16, 30, tzinfo=BKK)


def test_agreement_moves():
    assert rules.may_move("offered", "active")
    assert rules.may_move("active", "resigning")
    assert not rules.may_move("offered", "resigning")
    assert not rules.may_move("ended", "active")


def test_weighted_score_out_of_100():
    criteria = [rules.Criterion(1, 2, 5), rules.Criterion(2, 1, 10)]
    # (2·4/5 + 1·5/10) / 3 × 100 = (1.6 + 0.5) / 3 × 100 = 70.00
    assert rules.weighted_total(criteria, {1: 4, 2: 5}) == Decimal("70.00")
    assert rules.recommendation(Decimal("70.00"), 70) == "renew"
    assert rules.recommendation(Decimal("69.99"), 70) == "not_renew"
    assert rules.score_refusal(criteria, {1: 6, 2: 5}) == ("range", 1)
    assert rules.score_refusal(criteria, {1: 5}) == ("missing", 2)


@settings(suppress_health_check=[HealthCheck.too_slow])  # slow draws on a loaded machine are not a failure
@given(st.lists(st.tuples(st.integers(1, 10), st.integers(1, 10)), min_size=1, max_size=6), st.data())
def test_weighted_total_is_between_0_and_100(shape, data):
    criteria = [rules.Criterion(n, w, m) for n, (w, m) in enumerate(shape)]
    scores = {c.key: data.draw(st.integers(0, c.max_score)) for c in criteria}
    total = rules.weighted_total(criteria, scores)
    assert Decimal(0) <= total <= Decimal(100)
    full = rules.weighted_total(criteria, {c.key: c.max_score for c in criteria})
    assert full == Decimal("100.00")


def test_hours_are_totalled_per_fiscal_year_across_30_september():
    rows = [(date(2025, 9, 30), 90), (date(2025, 10, 1), 60), (date(2025, 10, 2), 45)]
    assert rules.totals_by_fiscal_year(rows) == {2568: Decimal("1.50"), 2569: Decimal("1.75")}


def test_hours_refusals():
    now = datetime(2025, 6, 2, 12, 0, tzinfo=BKK)
    nine = datetime(2025, 6, 2, 9, 0, tzinfo=BKK)
    assert rules.hours_refusal(checked_in_at=nine, checked_out_at=now, now=now) is None
    assert rules.hours_refusal(checked_in_at=nine, checked_out_at=datetime(2025, 6, 2, 12, 1, tzinfo=BKK),
                               now=now) == "future"
    assert rules.hours_refusal(checked_in_at=now, checked_out_at=nine, now=now) == "order"
    assert rules.worked_minutes(nine, now) == 180


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)), st.integers(0, 20))
def test_notice_always_ends_on_a_working_day_at_closing(start, days):
    start = start.replace(tzinfo=BKK)
    due = rules.resignation_effective(HOLIDAYS, filed_at=start, notice_days=days)
    assert HOLIDAYS.is_working_day(due.date()) and due.time() == HOLIDAYS.closes and due > start
