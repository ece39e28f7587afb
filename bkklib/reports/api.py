"""REST API of reports under /api/v1/reports/ (wired by bkklib/api_urls.py): the indicators with their
definitions, a series of one indicator over a fiscal year cut by a dimension, and the rebuild of a past period.

Everyone may read the public indicators' network totals by month (the open data); other cuts and the
indicators not published need ``reports.view_dashboard``. Refusals are problem JSON with stable codes.
"""
from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.core.calendar import fiscal_year
from bkklib.core.indicators import RATIO
from bkklib.network.models import Branch

from . import queries, rules, services
from .exceptions import BadDimension, UnknownIndicator


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=["flow", "stock", "ratio"])
    dimensions = serializers.ListField(child=serializers.CharField(), help_text=_("Beyond branch, branch kind, "
                                                                                 "district, month and fiscal year"))
    app = serializers.CharField()
    public = serializers.BooleanField()


def _may_see_all(request) -> bool:
    return request.user.is_authenticated and request.user.has_perm("reports.view_dashboard")


class IndicatorList(APIView):
    """Every indicator with its Thai name, definition, unit, how it adds up and the dimensions it is cut by."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=IndicatorSerializer(many=True))
    def get(self, request):
        rows = [{**{k: getattr(i, k) for k in ("key", "kind", "app", "public")}, "name": str(i.name),
                 "definition": str(i.definition), "unit": str(i.unit), "dimensions": list(i.dimensions)}
                for i in queries.indicators().values() if i.public or _may_see_all(request)]
        return Response(IndicatorSerializer(rows, many=True).data)


class SeriesParams(QueryParams):
    indicator = serializers.CharField(help_text=_("Indicator key, e.g. circulation.loans"))
    fy = serializers.IntegerField(required=False, min_value=2500, max_value=2700,
                                  help_text=_("Fiscal year (BE); the current one by default"))
    first_month = serializers.IntegerField(required=False, min_value=1, max_value=12, default=1,
                                           help_text=_("First month of the fiscal year (1 = October)"))
    last_month = serializers.IntegerField(required=False, min_value=1, max_value=12, default=12)
    by = serializers.CharField(required=False, default="month",
                               help_text=_("month, branch, district, branch_kind or one of the indicator's dimensions"))
    branch_kind = serializers.ChoiceField(choices=Branch.Kind.choices, required=False)
    district = serializers.RegexField(r"^\d{4}$", required=False)


class PointSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Month (YYYY-MM), branch code, district code, kind or dimension value"))
    value = serializers.FloatField(allow_null=True)


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    by = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    points = PointSerializer(many=True)


class Series(APIView):
    """One indicator over (part of) a fiscal year: the total and the points of one cut."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[SeriesParams], responses=SeriesSerializer)
    def get(self, request):
        params = query_params(request, SeriesParams)
        key, by = params["indicator"], params["by"]
        indicator = queries.indicators().get(key)
        if indicator is None:
            raise UnknownIndicator(key=key)
        if not _may_see_all(request) and not (indicator.public and by == "month"):
            raise PermissionDenied(_("Only the network's monthly totals of public indicators are open to all."))
        first = params["first_month"]
        flt = queries.Filter(params.get("fy") or fiscal_year(timezone.localdate()), first,
                             max(first, params["last_month"]), params.get("branch_kind", ""), params.get("district", ""))
        cube = queries.cube(flt, [key])
        if by in ("month", "branch", "district"):
            cut = cube.value(key, by=by)
            names = {b.id: b.code for b in cube.branch_info.values()}
            points = [{"key": (f"{k:%Y-%m}" if by == "month" else names.get(k, "") if by == "branch" else k),
                       "value": rules.clean_number(v)} for k, v in cut.items()]
        elif by == "branch_kind":
            totals: dict[str, object] = {}
            for kind in Branch.Kind.values:
                ids = {b.id for b in cube.branch_info.values() if b.kind == kind}
                if ids:
                    totals[kind] = cube.value(key, branch_ids=ids)
            points = [{"key": k, "value": rules.clean_number(v)} for k, v in totals.items()]
        elif by in indicator.dimensions and indicator.kind != RATIO:
            points = [{"key": k, "value": rules.clean_number(v)}
                      for k, v in queries.by_dimension(key, flt, by).items()]
        else:
            raise BadDimension(by=by, key=key, field="by")
        points.sort(key=lambda p: str(p["key"]))
        return Response(SeriesSerializer({"indicator": key, "fiscal_year": flt.fiscal_year, "by": by,
                                          "total": rules.clean_number(cube.value(key)), "points": points}).data)


class RebuildInput(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trigger = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    rows = serializers.IntegerField()
    seconds = serializers.FloatField()
    errors = serializers.ListField(child=serializers.DictField())


class Rebuild(APIView):
    """Count a past period again from every app's data (replaces the stored days)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "reports.rebuild_figures"}

    @extend_schema(request=RebuildInput, responses={201: RunSerializer})
    def post(self, request):
        data = RebuildInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.rebuild(data.validated_data["first_day"], data.validated_data["last_day"], user=request.user,
                               reason=data.validated_data["reason"])
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("reports/indicators/", IndicatorList.as_view(), name="reports-indicators"),
    path("reports/series/", Series.as_view(), name="reports-series"),
    path("reports/rebuild/", Rebuild.as_view(), name="reports-rebuild"),
]
