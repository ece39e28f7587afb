"""Staff's set-up of recruitment: calls (branch staff, their branches only), and the division's criteria,
benefits in force and evaluation forms with weighted criteria (network admins, ``roles.py``).

The pages' model forms check the fields; these verbs check who may save where, the rules across rows
(a form's criteria), and save with audit. Re-exported by ``services``.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from bkklib.core.exceptions import InvalidInput, NotPermitted
from bkklib.core.history import audit
from bkklib.network import access

from .models import Benefit, Call, Criteria, EvaluationCriterion, EvaluationForm, Role

MAX_WEIGHT = 100


def _require(by, perm: str) -> None:
    if not by.has_perm(perm):
        raise NotPermitted(_("Only the division's staff change volunteer criteria, benefits and evaluation forms."),
                           code="division_only")


@transaction.atomic
def save_call(*, call: Call, by) -> Call:
    """Save a new or edited recruitment call: the caller must be staff of its branch (and of the branch it
    had before, when moved)."""
    if call.pk is None:
        access.require(by, "volunteers.add_call", at=call.branch)
        reason = "call opened"
    else:
        before = Call.objects.select_related("branch").get(pk=call.pk)
        access.require(by, "volunteers.change_call", at=before.branch)
        access.require(by, "volunteers.change_call", at=call.branch)
        reason = "call edited"
    if call.closes_on < call.opens_on:
        raise InvalidInput(_("A call cannot close before it opens."), code="call_dates", field="closes_on")
    audit(call, by, reason).save()
    return call


@transaction.atomic
def save_criteria(*, criteria: Criteria, by, districts=None) -> Criteria:
    _require(by, "volunteers.add_criteria" if criteria.pk is None else "volunteers.change_criteria")
    if criteria.max_age is not None and criteria.max_age < criteria.min_age:
        raise InvalidInput(_("The maximum age cannot be below the minimum age."), code="criteria_ages",
                           field="max_age")
    audit(criteria, by, "criteria saved").save()
    if districts is not None:
        criteria.districts.set(districts)
    return criteria


@transaction.atomic
def save_role(*, role: Role, by) -> Role:
    """Save a kind of volunteer work. A role in use is retired (``is_active`` off), never deleted: calls,
    placements and hours refer to it."""
    _require(by, "volunteers.add_role" if role.pk is None else "volunteers.change_role")
    role.name_th = " ".join(role.name_th.split())
    if Role.objects.filter(name_th__iexact=role.name_th).exclude(pk=role.pk).exists():
        raise InvalidInput(_("A role named “{name}” already exists.").format(name=role.name_th), code="role_name",
                           field="name_th")
    audit(role, by, "role saved").save()
    return role


@transaction.atomic
def save_benefit(*, benefit: Benefit, by) -> Benefit:
    _require(by, "volunteers.add_benefit" if benefit.pk is None else "volunteers.change_benefit")
    if benefit.in_force_until and benefit.in_force_until < benefit.in_force_from:
        raise InvalidInput(_("A benefit cannot end before it starts."), code="benefit_dates", field="in_force_until")
    audit(benefit, by, "benefit saved").save()
    return benefit


@dataclass
class CriterionRow:
    name: str
    weight: int
    max_score: int
    pk: int | None = None


def criteria_refusal(rows: list[CriterionRow]) -> str | None:
    """Return why these criteria cannot make an evaluation form, or None (weights are relative: each
    criterion counts weight ÷ the sum of weights of the total out of 100)."""
    if not rows:
        return _("An evaluation form needs at least one criterion.")
    names = [" ".join(r.name.split()).casefold() for r in rows]
    if len(set(names)) != len(names):
        return _("Two criteria have the same name: give each criterion its own name.")
    for row in rows:
        if not 1 <= row.weight <= MAX_WEIGHT:
            return _("The weight of “{name}” must be from 1 to {most}.").format(name=row.name, most=MAX_WEIGHT)
        if not 1 <= row.max_score <= 100:
            return _("The highest score of “{name}” must be from 1 to 100.").format(name=row.name)
    return None


@transaction.atomic
def save_evaluation_form(*, form: EvaluationForm, rows: list[CriterionRow], by) -> EvaluationForm:
    """Save an evaluation form and its criteria. Once a volunteer is evaluated on it, its criteria are
    fixed (the scores refer to them); its name, period and renewal score can still change."""
    _require(by, "volunteers.add_evaluationform" if form.pk is None else "volunteers.change_evaluationform")
    if form.period_end < form.period_start:
        raise InvalidInput(_("The period cannot end before it starts."), code="form_period", field="period_end")
    if not 0 <= form.pass_mark <= 100:
        raise InvalidInput(_("The renewal score is out of 100."), code="form_pass_mark", field="pass_mark")
    problem = criteria_refusal(rows)
    if problem:
        raise InvalidInput(problem, code="form_criteria")
    used = form.pk is not None and form.evaluations.exists()
    if used:
        stored = [(c.pk, c.name, c.weight, c.max_score) for c in form.criteria.all()]
        given = [(r.pk, r.name, r.weight, r.max_score) for r in rows]
        if stored != given:
            raise InvalidInput(_("Volunteers have been evaluated on this form: its criteria can no longer change. "
                                 "Make a new form for the next period."), code="form_in_use")
    audit(form, by, "evaluation form saved").save()
    if not used:
        keep = {r.pk for r in rows if r.pk}
        form.criteria.exclude(pk__in=keep).delete()
        for order, row in enumerate(rows):
            criterion = (form.criteria.filter(pk=row.pk).first() if row.pk else None) or \
                EvaluationCriterion(form=form)
            criterion.name, criterion.weight, criterion.max_score, criterion.order = \
                row.name.strip(), row.weight, row.max_score, order
            criterion.save()
    return form
