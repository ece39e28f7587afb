"""Staff's set-up pages under /staff/volunteers/setup/: recruitment calls (branch staff, their branches),
criteria, benefits in force and evaluation forms (the division, ``roles.py``). Saved through the set-up
services (audit); another branch's call is a 404."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bkklib.core.decorators import perm_required
from bkklib.core.exceptions import DomainError
from bkklib.network import access

from .. import services
from ..models import Benefit, Call, Criteria, EvaluationForm, Role
from ..setup import CriterionRow
from ..setup_forms import BenefitForm, CallForm, CriteriaForm, CriterionFormSet, EvaluationFormForm, RoleForm


@perm_required("volunteers.view_call")
def index(request):
    user = request.user
    return render(request, "volunteers/staff/setup.html", {
        "calls": access.scope(Call.objects.select_related("branch", "role"), user, "volunteers.view_call")[:200],
        "criteria": Criteria.objects.all(), "benefits": Benefit.objects.all(), "roles": Role.objects.all(),
        "forms": EvaluationForm.objects.prefetch_related("criteria"),
        "may_add_call": access.branches_for(user, "volunteers.add_call").exists(),
        "may_division": user.has_perm("volunteers.change_criteria"),
    })


def _save(request, form, verb, done: str, back: str):
    if request.method == "POST" and form.is_valid():
        try:
            verb(form)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, done)
            return redirect(back)
    return None


@perm_required("volunteers.view_call")
def call(request, pk: int | None = None):
    user = request.user
    instance = None
    if pk is not None:
        instance = get_object_or_404(access.scope(Call.objects.all(), user, "volunteers.view_call"), pk=pk)
    perm = "volunteers.change_call" if instance else "volunteers.add_call"
    if not user.has_perm(perm) or (instance and not access.can_act_at(user, perm, instance.branch)):
        raise PermissionDenied
    form = CallForm(request.POST or None, instance=instance, user=user)
    done = _save(request, form, lambda f: services.save_call(call=f.save(commit=False), by=user),
                 _("Recruitment call saved."), "volunteers:staff-setup")
    return done or render(request, "volunteers/staff/setup_form.html", {
        "form": form, "title": _("Edit the recruitment call") if instance else _("New recruitment call")})


def _division(request, perm_new: str, perm_edit: str, pk):
    if not request.user.has_perm(perm_edit if pk else perm_new):
        raise PermissionDenied


def _division_page(request, pk, model, form_class, verb, done: str, titles: tuple[str, str]):
    """A set-up page of the division's (one form, saved through ``verb``): add or change by permission."""
    name = model._meta.model_name
    _division(request, f"volunteers.add_{name}", f"volunteers.change_{name}", pk)
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    saved = _save(request, form, verb, done, "volunteers:staff-setup")
    return saved or render(request, "volunteers/staff/setup_form.html", {
        "form": form, "title": titles[0] if instance else titles[1]})


@perm_required("volunteers.view_criteria")
def criteria(request, pk: int | None = None):
    def verb(f):
        services.save_criteria(criteria=f.save(commit=False), by=request.user, districts=f.cleaned_data["districts"])

    return _division_page(request, pk, Criteria, CriteriaForm, verb, _("Criteria saved."),
                          (_("Edit the criteria"), _("New recruitment criteria")))


@perm_required("volunteers.view_role")
def role(request, pk: int | None = None):
    return _division_page(request, pk, Role, RoleForm,
                          lambda f: services.save_role(role=f.save(commit=False), by=request.user),
                          _("Role saved."), (_("Edit the volunteer role"), _("New volunteer role")))


@perm_required("volunteers.view_benefit")
def benefit(request, pk: int | None = None):
    return _division_page(request, pk, Benefit, BenefitForm,
                          lambda f: services.save_benefit(benefit=f.save(commit=False), by=request.user),
                          _("Benefit saved."), (_("Edit the benefit"), _("New benefit in force")))


@perm_required("volunteers.view_evaluationform")
def evaluation_form(request, pk: int | None = None):
    _division(request, "volunteers.add_evaluationform", "volunteers.change_evaluationform", pk)
    instance = get_object_or_404(EvaluationForm, pk=pk) if pk else None
    initial = [{"id": c.pk, "name": c.name, "weight": c.weight, "max_score": c.max_score}
               for c in instance.criteria.all()] if instance else []
    form = EvaluationFormForm(request.POST or None, instance=instance)
    rows = CriterionFormSet(request.POST or None, initial=initial, prefix="criteria")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        given = [CriterionRow(d["name"].strip(), d["weight"], d["max_score"], d.get("id"))
                 for d in rows.cleaned_data if d and d.get("name", "").strip()]
        try:
            services.save_evaluation_form(form=form.save(commit=False), rows=given, by=request.user)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text)
        else:
            messages.success(request, _("Evaluation form saved."))
            return redirect("volunteers:staff-setup")
    return render(request, "volunteers/staff/evaluation_form.html", {
        "form": form, "rows": rows, "instance": instance,
        "used": bool(instance and instance.evaluations.exists()),
        "title": _("Edit the evaluation form") if instance else _("New evaluation form")})
