"""Evaluation forms, their criteria, evaluations and scores."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from .volunteers import Volunteer


class EvaluationForm(TimeStampedModel):
    """An evaluation form for a period, with weighted criteria."""

    name = models.CharField(_("name"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    pass_mark = models.PositiveSmallIntegerField(_("score for renewal (out of 100)"), default=60)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="volunteers_evaluationform_period",
                                   violation_error_message=_("The period cannot end before it starts.")),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="volunteers_evaluationform_pass_mark",
                                   violation_error_message=_("The renewal score is out of 100.")),
        ]

    def __str__(self):
        return self.name


class EvaluationCriterion(models.Model):
    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="criteria",
                             verbose_name=_("form"))
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["form", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="volunteers_criterion_weight_positive",
                                   violation_error_message=_("A criterion weighs at least 1.")),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="volunteers_criterion_max_positive",
                                   violation_error_message=_("The highest score is at least 1.")),
        ]

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    """A volunteer's evaluation on a form: scores, comments, weighted total, the volunteer's acknowledgement."""

    class Recommendation(models.TextChoices):
        RENEW = "renew", _("renew the agreement")
        NOT_RENEW = "not_renew", _("do not renew")

    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="evaluations",
                             verbose_name=_("form"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="evaluations",
                                  verbose_name=_("volunteer"))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("evaluator"))
    evaluated_at = models.DateTimeField(_("evaluated at"))
    total = models.DecimalField(_("weighted score (out of 100)"), max_digits=5, decimal_places=2)
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices)
    comments = models.TextField(_("comments"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by the volunteer at"), null=True, blank=True)
    volunteer_comment = models.TextField(_("volunteer's comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluated_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "volunteer"], name="volunteers_evaluation_once_per_form",
                                    violation_error_message=_("This volunteer has already been evaluated on this form.")),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=100), name="volunteers_evaluation_total",
                                   violation_error_message=_("The score is between 0 and 100.")),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.form} ({self.total})"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("evaluation"))
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("criterion"))
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="volunteers_score_once",
                                               violation_error_message=_("Each criterion is scored once."))]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
