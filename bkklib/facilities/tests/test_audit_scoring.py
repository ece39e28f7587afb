"""Audit scores against a hand-computed example, and the rules behind them."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bkklib.facilities import queries, rules, services
from bkklib.facilities.exceptions import AuditClosed, AuditIncomplete

# Hand-computed example (14 items of the shipped checklist, by bkklib's categories):
#   approach: parking yes, entrance no, between_buildings na, definition_scope yes  -> 2 of 3 = 66.7
#   circulation: ramp no, lift na, stairs yes, doors yes, handrails no, tactile no  -> 2 of 5 = 40.0
#   toilets: toilet no                                                              -> 0 of 1 = 0.0
#   service: signage yes, seating_halls na, service_basics yes                      -> 2 of 2 = 100.0
#   building: 6 compliant of 11 applicable (3 not applicable)                       -> 54.5
EXAMPLE = {"parking": "yes", "entrance": "no", "between_buildings": "na", "definition_scope": "yes",
           "ramp": "no", "lift": "na", "stairs": "yes", "doors": "yes", "handrails": "no", "tactile": "no",
           "toilet": "no", "signage": "yes", "seating_halls": "na", "service_basics": "yes"}


def fill(audit, by, answers):
    items = {i.code: i for i in audit.checklist.items.all()}
    for code, result in answers.items():
        services.answer_item(audit_row=audit, item=items[code], result=result, by=by)


def test_the_shipped_checklist_is_loaded_as_a_versioned_fixture(site):
    assert site.checklist.items.count() == 14
    ramp = site.checklist.items.get(code="ramp")
    assert ramp.topic_th == "ทางลาด" and ramp.category == "circulation" and not ramp.verified
    assert ramp.measure_unit == "X" and len(site.checklist.sha256) == 64
    assert "2548" in site.checklist.source


def test_audit_scores_match_the_hand_computed_example(site):
    audit = services.start_audit(building=site.building, by=site.librarian)
    fill(audit, site.librarian, EXAMPLE)
    score = queries.audit_score(audit)
    assert {k: t.score for k, t in score.categories.items()} == {
        "approach": Decimal("66.7"), "circulation": Decimal("40.0"), "toilets": Decimal("0.0"),
        "service": Decimal("100.0")}
    assert (score.overall.compliant, score.overall.not_compliant, score.overall.not_applicable) == (6, 5, 3)
    assert score.overall.score == Decimal("54.5")
    assert [g.item.code for g in queries.gaps(audit)] == ["entrance", "ramp", "toilet", "handrails", "tactile"]


def test_a_category_with_only_not_applicable_answers_has_no_score():
    score = rules.score([("toilets", "na")], categories=["toilets", "service"])
    assert score.categories["toilets"].score is None and score.categories["service"].score is None
    assert score.overall.score is None


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(["yes", "no", "na"]))))
def test_the_building_score_counts_every_applicable_answer_once(pairs):
    score = rules.score(pairs)
    assert score.overall.applicable == sum(t.applicable for t in score.categories.values())
    assert score.overall.applicable == sum(1 for _, r in pairs if r != "na")
    if score.overall.score is not None:
        assert Decimal(0) <= score.overall.score <= Decimal(100)


def test_an_audit_is_completed_only_when_every_item_is_answered(site):
    audit = services.start_audit(building=site.building, by=site.librarian)
    fill(audit, site.librarian, dict(list(EXAMPLE.items())[:13]))
    with pytest.raises(AuditIncomplete) as refused:
        services.complete_audit(audit_row=audit, by=site.librarian)
    assert "งานบริการ" in refused.value.text or "service" in refused.value.text or "พื้นฐาน" in refused.value.text
    fill(audit, site.librarian, {"service_basics": "yes"})
    services.complete_audit(audit_row=audit, by=site.librarian)
    with pytest.raises(AuditClosed):
        fill(audit, site.librarian, {"ramp": "yes"})


def test_another_branch_cannot_audit_this_building(site):
    from bkklib.core import roles
    from bkklib.core.exceptions import NotPermitted
    from bkklib.network.tests.factories import staff_user

    stranger = staff_user(roles.BRANCH_LIBRARIAN, site.other_branch)
    with pytest.raises(NotPermitted):
        services.start_audit(building=site.building, by=stranger)
