"""Django admin of volunteers: the division's reference data (criteria, roles, benefits, evaluation forms).

Personal records (applications, volunteers) are not in the admin: they are read through the staff pages,
where sensitive fields are unsealed only for the named roles and each read is logged.
"""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Benefit, Call, Criteria, EvaluationCriterion, EvaluationForm, Role


@admin.register(Criteria)
class CriteriaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "min_age", "consent_below_age", "max_age", "min_hours_per_week"]
    filter_horizontal = ["districts"]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "counts_in_coverage", "is_active"]


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["title", "branch", "role", "wanted", "opens_on", "closes_on"]
    list_filter = ["role"]
    autocomplete_fields = ["branch"]


class CriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    extra = 1


@admin.register(EvaluationForm)
class EvaluationFormAdmin(SimpleHistoryAdmin):
    list_display = ["name", "period_start", "period_end", "pass_mark"]
    inlines = [CriterionInline]


@admin.register(Benefit)
class BenefitAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "kind", "amount", "in_force_from", "in_force_until"]
