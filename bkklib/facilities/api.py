"""REST API of facilities under /api/v1/facilities/ (wired by bkklib/api_urls.py): buildings with their UD
score, audits with scores, gaps and the comparison with the previous audit, answering an item (with a
photo), works by fiscal year and status and their next step, planting sites and the trees per district.

Everything is staff-only and scoped to the caller's branches (network.access); refusals are problem JSON
with the services' codes (``not_next``, ``missing``, ``audit_closed``, ``photo_refused``...).
"""
from __future__ import annotations

from decimal import Decimal

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView, get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import QueryParams, RolePermission, query_params

from . import queries, rules, services
from .models import Audit, AuditAnswer, Building, TreeSite, Work


class TallySerializer(serializers.Serializer):
    compliant = serializers.IntegerField()
    not_compliant = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True,
                                     help_text=_("Compliant share of applicable answers, in per cent"))


class BuildingSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    latest_audit = serializers.SerializerMethodField()
    ud_score = serializers.SerializerMethodField()

    class Meta:
        model = Building
        fields = ["id", "branch", "name_th", "area_m2", "year_built_be", "owner", "owner_note",
                  "accessibility_summary", "latest_audit", "ud_score"]

    def _last(self, building):
        cache = self.context.setdefault("last", {})
        if building.pk not in cache:
            cache[building.pk] = queries.latest_completed_audit(building)
        return cache[building.pk]

    def get_latest_audit(self, building) -> int | None:
        last = self._last(building)
        return last.pk if last else None

    def get_ud_score(self, building) -> float | None:
        last = self._last(building)
        score = queries.audit_score(last).overall.score if last else None
        return float(score) if score is not None else None


class BuildingList(ListAPIView):
    """Buildings of the caller's branches with the score of their latest completed UD audit."""

    serializer_class = BuildingSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "facilities.view_building"}

    def get_queryset(self):
        return queries.buildings(self.request.user)


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    photo = serializers.SerializerMethodField()

    class Meta:
        model = AuditAnswer
        fields = ["item", "result", "measured_value", "note", "photo", "photo_latitude", "photo_longitude",
                  "photo_taken_at", "answered_at"]

    def get_photo(self, answer) -> str | None:
        return answer.photo.url if answer.photo else None


class ComparisonSerializer(serializers.Serializer):
    previous = serializers.IntegerField(source="previous.pk")
    score_before = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    score_after = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    fixed = serializers.SerializerMethodField()
    new_gaps = serializers.SerializerMethodField()
    still_gaps = serializers.SerializerMethodField()

    def get_fixed(self, c) -> list[str]:
        return [r.item.code for r in c.fixed]

    def get_new_gaps(self, c) -> list[str]:
        return [r.item.code for r in c.new_gaps]

    def get_still_gaps(self, c) -> list[str]:
        return [r.item.code for r in c.still_gaps]


class AuditSerializer(serializers.ModelSerializer):
    building = serializers.PrimaryKeyRelatedField(read_only=True)
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    checklist = serializers.SlugRelatedField(slug_field="version", read_only=True)
    score = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()
    comparison = serializers.SerializerMethodField()

    class Meta:
        model = Audit
        fields = ["id", "building", "branch", "checklist", "audited_on", "status", "completed_at", "previous",
                  "score", "categories", "answers", "gaps", "comparison"]

    def get_score(self, audit) -> dict:
        return TallySerializer(queries.audit_score(audit).overall).data

    def get_categories(self, audit) -> dict[str, dict]:
        return {k: TallySerializer(t).data for k, t in queries.audit_score(audit).categories.items()}

    def get_answers(self, audit) -> list[dict]:
        return AnswerSerializer(queries.answers_of(audit), many=True).data

    def get_gaps(self, audit) -> list[str]:
        return [a.item.code for a in queries.gaps(audit)]

    def get_comparison(self, audit) -> dict | None:
        comparison = queries.compare_with_previous(audit)
        return ComparisonSerializer(comparison).data if comparison else None


class AuditDetail(RetrieveAPIView):
    """One audit: scores per category and for the building, answers, gaps, changes since the previous audit."""

    serializer_class = AuditSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "facilities.view_audit"}

    def get_queryset(self):
        return queries.audits(self.request.user)


class AnswerInput(serializers.Serializer):
    item = serializers.SlugField(help_text=_("The checklist item's code (ramp, doors...)"))
    result = serializers.ChoiceField(choices=AuditAnswer.Result.choices)
    measured_value = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, required=False,
                                              allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_null=True)


class AnswerItem(APIView):
    """Answer one item of a draft audit (multipart with an optional ``photo``): POST .../audits/{id}/answers/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "facilities.add_audit"}
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": AnswerInput}, responses={201: AnswerSerializer})
    def post(self, request, pk: int):
        audit = get_object_or_404(queries.audits(request.user, "facilities.add_audit"), pk=pk)
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = get_object_or_404(audit.checklist.items, code=values["item"])
        answer = services.answer_item(audit_row=audit, item=item, result=values["result"], by=request.user,
                                      measured_value=values.get("measured_value"), note=values.get("note", ""),
                                      photo=values.get("photo"))
        return Response(AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


class WorkSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    gaps = serializers.SerializerMethodField()
    next_states = serializers.SerializerMethodField()

    class Meta:
        model = Work
        fields = ["id", "branch", "building", "title", "description", "status", "fiscal_year", "budget",
                  "contractor", "contract_no", "starts_on", "completed_on", "inspected_on", "gaps", "next_states"]

    def get_gaps(self, work) -> list[dict]:
        return [{"audit": g.audit_id, "item": g.item.code} for g in work.gaps.all()]

    def get_next_states(self, work) -> list[str]:
        return rules.next_states(work.status)


class WorkParams(QueryParams):
    branch = serializers.SlugField(required=False, help_text=_("Branch code"))
    status = serializers.ChoiceField(choices=Work.Status.choices, required=False)
    fiscal_year = serializers.IntegerField(required=False, min_value=2500, max_value=2700,
                                           help_text=_("Fiscal year (B.E.)"))


class WorkList(ListAPIView):
    """Improvement works of the caller's branches, filtered by branch, status and fiscal year."""

    serializer_class = WorkSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "facilities.view_work"}

    @extend_schema(parameters=[WorkParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, WorkParams)
        rows = queries.works(self.request.user).prefetch_related("gaps__item").order_by("-created_at", "-pk")
        if params.get("branch"):
            rows = rows.filter(branch__code=params["branch"])
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        if params.get("fiscal_year"):
            rows = rows.filter(fiscal_year=params["fiscal_year"])
        return rows


class WorkTransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=Work.Status.choices)
    fiscal_year = serializers.IntegerField(required=False, min_value=2500, max_value=2700)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=Decimal("0.01"))
    contractor = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contract_no = serializers.CharField(required=False, allow_blank=True, max_length=60)
    starts_on = serializers.DateField(required=False)
    completed_on = serializers.DateField(required=False)
    inspected_on = serializers.DateField(required=False)


class WorkTransition(APIView):
    """Move a work to its next state with what that state needs: POST .../works/{id}/transition/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    # Every step needs change_work at least (role first, before any look-up); the step's own
    # permission (approve, inspect) is checked by the service.
    write_perms = {"POST": "facilities.change_work"}

    @extend_schema(request=WorkTransitionInput, responses={200: WorkSerializer})
    def post(self, request, pk: int):
        work = get_object_or_404(queries.works(request.user), pk=pk)
        data = WorkTransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        work = services.advance_work(work=work, by=request.user, **data.validated_data)
        return Response(WorkSerializer(work).data)


class SiteSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TreeSite
        fields = ["id", "branch", "name_th", "kind", "latitude", "longitude", "district_code", "area_m2", "soil",
                  "sun", "surveyed_on"]


class SiteList(ListAPIView):
    serializer_class = SiteSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "facilities.view_treesite"}

    def get_queryset(self):
        return queries.sites(self.request.user).order_by("branch__code", "name_th")


class TreeTotalsSerializer(serializers.Serializer):
    sites = serializers.IntegerField()
    area_m2 = serializers.DecimalField(max_digits=12, decimal_places=1)
    wall_m2 = serializers.DecimalField(max_digits=12, decimal_places=1)
    planned = serializers.IntegerField()
    planted = serializers.IntegerField()
    surviving = serializers.IntegerField()


class DistrictTreesSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_th = serializers.CharField()
    totals = TreeTotalsSerializer()


class TreeRollUpSerializer(serializers.Serializer):
    districts = DistrictTreesSerializer(many=True)
    network = TreeTotalsSerializer()
    city_target = serializers.IntegerField()
    share_of_target = serializers.DecimalField(max_digits=7, decimal_places=2)


class TreeRollUp(APIView):
    """Trees planned, planted and surviving per district (the sum of its sites) and for the network."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "facilities.view_treesite"}

    @extend_schema(responses=TreeRollUpSerializer)
    def get(self, request):
        districts, network, _sites = queries.tree_roll_up(queries.sites(request.user))
        return Response(TreeRollUpSerializer({
            "districts": districts, "network": network, "city_target": rules.CITY_TREE_TARGET,
            "share_of_target": rules.target_share(network.surviving)}).data)


urlpatterns = [
    path("facilities/buildings/", BuildingList.as_view(), name="api-facilities-buildings"),
    path("facilities/audits/<int:pk>/", AuditDetail.as_view(), name="api-facilities-audit"),
    path("facilities/audits/<int:pk>/answers/", AnswerItem.as_view(), name="api-facilities-audit-answer"),
    path("facilities/works/", WorkList.as_view(), name="api-facilities-works"),
    path("facilities/works/<int:pk>/transition/", WorkTransition.as_view(), name="api-facilities-work-transition"),
    path("facilities/tree-sites/", SiteList.as_view(), name="api-facilities-tree-sites"),
    path("facilities/trees/districts/", TreeRollUp.as_view(), name="api-facilities-tree-districts"),
]
