"""Evaluating volunteers on a form, and the volunteer's acknowledgement.

Re-exported by ``services``; every verb is one transaction with audit.
"""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.network import access

from . import rules
from .exceptions import (
    BadScores,
)
from .models import (
    Evaluation,
    EvaluationForm,
    Score,
    Volunteer,
)


@transaction.atomic
def evaluate(*, form: EvaluationForm, volunteer: Volunteer, by, scores: dict[int, int], comments: str = "",
             now: datetime | None = None) -> Evaluation:
    """Score ``volunteer`` on every criterion of ``form``; the weighted total decides the recommendation."""
    now = now or timezone.now()
    access.require(by, "volunteers.evaluate_volunteer", at=volunteer.branch)
    criteria = list(form.criteria.all())
    pure = [rules.Criterion(c.pk, c.weight, c.max_score) for c in criteria]
    problem = rules.score_refusal(pure, scores)
    if problem:
        criterion = next(c for c in criteria if c.pk == problem[1])
        raise BadScores(criterion=f"{criterion.name}: 0–{criterion.max_score}")
    if Evaluation.objects.filter(form=form, volunteer=volunteer).exists():
        raise InvalidInput(_("This volunteer has already been evaluated on this form."), code="evaluated")
    total = rules.weighted_total(pure, scores)
    evaluation = Evaluation(form=form, volunteer=volunteer, branch=volunteer.branch, evaluator=by,
                            evaluated_at=now, total=total, comments=comments,
                            recommendation=rules.recommendation(total, form.pass_mark))
    audit(evaluation, by, "evaluated").save()
    Score.objects.bulk_create([Score(evaluation=evaluation, criterion=c, score=scores[c.pk]) for c in criteria])
    return evaluation


@transaction.atomic
def acknowledge_evaluation(*, evaluation: Evaluation, volunteer: Volunteer, comment: str = "",
                           now: datetime | None = None) -> Evaluation:
    now = now or timezone.now()
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.volunteer_id != volunteer.pk:
        raise NotPermitted(_("This is not your evaluation."), code="not_yours")
    if evaluation.acknowledged_at is not None:
        raise InvalidInput(_("You have already acknowledged this evaluation."), code="acknowledged")
    evaluation.acknowledged_at, evaluation.volunteer_comment = now, comment
    audit(evaluation, volunteer.user, "acknowledged").save()
    return evaluation
