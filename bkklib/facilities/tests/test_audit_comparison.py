"""A new audit against an older one: what was fixed, what is new, and whether works closed their gaps."""
from datetime import date
from decimal import Decimal

from bkklib.facilities import queries, rules, services

from .test_audit_scoring import EXAMPLE, fill


def test_compare_sorts_changes_into_fixed_new_still_and_other():
    before = {"a": "no", "b": "yes", "c": "no", "d": "na", "e": "yes"}
    after = {"a": "yes", "b": "no", "c": "no", "d": "yes", "e": "yes", "f": "no"}
    result = rules.compare(before, after, order=["a", "b", "c", "d", "e", "f"])
    assert [c.code for c in result.fixed] == ["a"]
    assert [c.code for c in result.new_gaps] == ["b", "f"]
    assert [c.code for c in result.still_gaps] == ["c"]
    assert [c.code for c in result.other] == ["d"] and result.unchanged == ["e"]


def test_the_next_audit_checks_the_gaps_a_work_closed(site):
    first = services.start_audit(building=site.building, by=site.librarian, on=date(2025, 3, 1))
    fill(first, site.librarian, EXAMPLE)
    services.complete_audit(audit_row=first, by=site.librarian)
    ramp_gap, toilet_gap = (first.answers.get(item__code=c) for c in ("ramp", "toilet"))
    ramp_work = services.raise_work_from_gaps(audit_row=first, answers=[ramp_gap], by=site.librarian)
    toilet_work = services.raise_work_from_gaps(audit_row=first, answers=[toilet_gap], by=site.librarian)
    for to, extra in [("approved", {}), ("budgeted", {"fiscal_year": 2568, "budget": Decimal("120000")}),
                      ("procured", {"contractor": "หจก. ทดสอบก่อสร้าง"}), ("in_progress", {"starts_on": date(2025, 5, 1)}),
                      ("completed", {"completed_on": date(2025, 6, 1)})]:
        services.advance_work(work=toilet_work, to=to, by=site.admin, today=date(2025, 6, 2), **extra)

    second = services.start_audit(building=site.building, by=site.librarian, on=date(2025, 7, 1))
    assert second.previous == first
    fill(second, site.librarian, {**EXAMPLE, "ramp": "yes", "stairs": "no", "lift": "yes"})
    comparison = queries.compare_with_previous(second)
    assert [r.item.code for r in comparison.fixed] == ["ramp"]
    assert comparison.fixed[0].works == [ramp_work]
    assert [r.item.code for r in comparison.new_gaps] == ["stairs"]
    assert [r.item.code for r in comparison.still_gaps] == ["entrance", "toilet", "handrails", "tactile"]
    assert [r.item.code for r in comparison.other] == ["lift"]
    assert comparison.score_before == Decimal("54.5")
    assert comparison.score_after == Decimal("58.3")  # 7 of 12
    assert [(w, i.code) for w, i in comparison.works_confirmed] == [(ramp_work, "ramp")]
    # The toilet work says "completed" but the audit still finds the gap: shown for follow-up.
    assert [(w, i.code) for w, i in comparison.works_not_confirmed] == [(toilet_work, "toilet")]


def test_the_first_audit_of_a_building_has_nothing_to_compare(site):
    audit = services.start_audit(building=site.building, by=site.librarian)
    assert queries.compare_with_previous(audit) is None
