"""Query filters of the network API (branches, closures, assignments)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bkklib.core.api import BooleanFilter, FilterSet

from .. import queries
from ..forms import find_district
from ..models import Branch, Closure


class BranchFilter(FilterSet):
    district = django_filters.CharFilter(method="filter_district", help_text=_("district code, Thai or English name"))
    kind = django_filters.ChoiceFilter(choices=Branch.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Branch.Status.choices)
    service = django_filters.CharFilter(field_name="services__code", help_text=_("service code, e.g. co-working"))
    parent = django_filters.CharFilter(field_name="parent__code")
    q = django_filters.CharFilter(method="filter_q", help_text=_("part of the Thai or English name, or the code"))
    stale = BooleanFilter(method="filter_stale")

    class Meta:
        model = Branch
        fields = ["district", "kind", "status", "service", "parent", "q", "stale"]

    def filter_district(self, queryset, name, value):
        district = find_district(value)
        return queryset.filter(district=district) if district else queryset.none()

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name_th__icontains=value) | Q(name_en__icontains=value) | Q(code__iexact=value))

    def filter_stale(self, queryset, name, value):
        return queryset.filter(queries.stale_q()) if value else queryset.exclude(queries.stale_q())


class ClosureFilter(FilterSet):
    branch = django_filters.CharFilter(method="filter_branch",
                                       help_text=_("branch code: its own closures and the network-wide ones"))
    ends_after = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")
    kind = django_filters.ChoiceFilter(choices=Closure.Kind.choices)

    class Meta:
        model = Closure
        fields = ["branch", "ends_after", "starts_before", "kind"]

    def filter_branch(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(branch__code=value) | Q(branch__isnull=True))
