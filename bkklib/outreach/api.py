"""REST API of outreach under /api/v1/outreach/ (wired by bkklib/api_urls.py).

Public reads: stops and their coming trips. Staff set-up (vehicles, maintenance, routes, stops,
timetables): ``api_setup``. The volunteer desk's ``sync`` (a volunteer account,
session or token). Staff: conflicts to resolve, deposit collections, statistics. Refusals are
problem JSON with stable codes.
"""
from __future__ import annotations

from datetime import date, timedelta

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import QueryParams, RolePermission, query_params

from . import api_setup, queries, services
from .exceptions import AccountRevoked
from .models import DepositCollection, Stop, SyncAction, Trip


class StopSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    vehicle = serializers.CharField(source="route.vehicle.name_th", read_only=True)
    route = serializers.CharField(source="route.code", read_only=True)

    class Meta:
        model = Stop
        fields = ["code", "name_th", "name_en", "district", "address", "latitude", "longitude", "audience",
                  "is_pickup_point", "route", "vehicle"]


class TripSerializer(serializers.ModelSerializer):
    stop = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Trip
        fields = ["id", "stop", "planned_on", "visit_on", "arrives_at", "departs_at", "status", "reason"]


class StopParams(QueryParams):
    district = serializers.RegexField(r"^10\d\d$", required=False, help_text=_("District code (1001–1050)"))


class StopList(ListAPIView):
    """Active stops of the mobile libraries (GET, public); add a stop (POST, staff with the role)."""

    serializer_class = StopSerializer
    permission_classes = [RolePermission]
    write_perms = {"POST": "outreach.add_stop"}

    @extend_schema(parameters=[StopParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=api_setup.StopWriteSerializer, responses={201: api_setup.StopWriteSerializer})
    def post(self, request):
        return api_setup.create_stop(request)

    def get_queryset(self):
        params = query_params(self.request, StopParams)
        rows = Stop.objects.public().select_related("district", "route__vehicle").order_by("code")
        if params.get("district"):
            rows = rows.filter(district__code=params["district"])
        return rows


class StopTrips(ListAPIView):
    """The coming trips of a stop (six weeks), moved and cancelled ones included (public); not paginated."""

    serializer_class = TripSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no URL arguments
            return Trip.objects.none()
        stop = get_object_or_404(Stop.objects.public(), code=self.kwargs["code"])
        return queries.upcoming_trips([stop], timezone.localdate())


class ActionIn(serializers.Serializer):
    action_id = serializers.CharField(help_text=_("Made on the device when the action is queued (8–64 characters)"))
    kind = serializers.ChoiceField(choices=SyncAction.Kind.choices)
    happened_at = serializers.DateTimeField(help_text=_("When it happened, ISO 8601 with the time zone"))
    seq = serializers.IntegerField(min_value=0, required=False)
    item_barcode = serializers.CharField(required=False)
    card_number = serializers.CharField(required=False)
    counts = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)


class ActionOut(serializers.Serializer):
    action_id = serializers.CharField()
    status = serializers.ChoiceField(choices=SyncAction.Status.choices)
    code = serializers.CharField()
    message = serializers.CharField()
    duplicate = serializers.BooleanField()
    loan_id = serializers.IntegerField(allow_null=True)
    happened_at = serializers.DateTimeField(allow_null=True)


class Sync(APIView):
    """Apply a batch of the volunteer desk's queued actions (lend, return, visit) in the order they happened.

    Idempotent per ``action_id``: a batch sent twice applies nothing twice (the repeated actions come
    back with ``duplicate: true`` and their first result). An action that cannot be applied comes back
    as ``conflict`` with a code (``unknown_barcode``, ``patron_blocked``, ``already_returned``...) and
    waits for staff; a malformed batch is refused whole (400 ``bad_batch``); a revoked account gets
    403 ``account_revoked`` with its actions kept as ``rejected``.
    """

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "outreach.use_volunteer_desk"}

    @extend_schema(
        request=inline_serializer("SyncIn", {"actions": ActionIn(many=True)}),
        responses={200: inline_serializer("SyncOut", {
            "applied": serializers.IntegerField(), "conflicts": serializers.IntegerField(),
            "duplicates": serializers.IntegerField(), "actions": ActionOut(many=True)})},
    )
    def post(self, request):
        actions = request.data.get("actions") if isinstance(request.data, dict) else None
        result = services.sync(user=request.user, actions=actions)
        body = {"applied": result.count("applied"), "conflicts": result.count("conflict"),
                "duplicates": result.duplicates, "actions": [r.as_dict() for r in result.results]}
        if result.revoked:
            revoked = AccountRevoked(date=result.revoked_on)
            return Response({**revoked.as_problem(), **body}, status=status.HTTP_403_FORBIDDEN,
                            content_type="application/problem+json")
        return Response(body)


class ConflictSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    volunteer = serializers.CharField(source="account.display_name", read_only=True)

    class Meta:
        model = SyncAction
        fields = ["id", "action_id", "branch", "volunteer", "kind", "happened_at", "received_at", "item_barcode",
                  "card_number", "counts", "status", "code", "message"]


class ConflictList(ListAPIView):
    """Conflicts of the volunteer desk waiting for staff, in the caller's branches."""

    serializer_class = ConflictSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "outreach.view_syncaction"}

    def get_queryset(self):
        return queries.open_conflicts(self.request.user)


class ResolveIn(serializers.Serializer):
    resolution = serializers.CharField(max_length=300, required=False, allow_blank=True)
    retry = serializers.BooleanField(required=False, default=False)


class ResolveConflict(APIView):
    """Resolve a conflict: apply it again (``retry``) or note what staff did."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "outreach.resolve_syncaction"}

    @extend_schema(request=ResolveIn, responses={200: ConflictSerializer})
    def post(self, request, pk: int):
        action = get_object_or_404(queries.open_conflicts(request.user), pk=pk)
        data = ResolveIn(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.resolve_action(action=action, by=request.user, **data.validated_data)
        return Response(ConflictSerializer(action).data)


class DepositSerializer(serializers.ModelSerializer):
    from_branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reading_house = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = serializers.IntegerField(source="n_items", read_only=True)

    class Meta:
        model = DepositCollection
        fields = ["id", "code", "from_branch", "reading_house", "status", "due_back_on", "sent_at", "received_at",
                  "recalled_at", "returned_at", "items"]


class DepositList(ListAPIView):
    """Deposit collections sent from or to the caller's branches."""

    serializer_class = DepositSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "outreach.view_depositcollection"}

    def get_queryset(self):
        return queries.deposits(self.request.user).order_by("-created_at")


class StatisticsParams(QueryParams):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    by = serializers.ChoiceField(choices=queries.DIMENSIONS, required=False, default="place")

    def validate(self, data):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError({"end": _("The end must not be before the start.")})
        return data


def period(params: dict) -> tuple[date, date]:
    today = timezone.localdate()
    end = params.get("end") or today
    return params.get("start") or end - timedelta(days=30), end


class Statistics(APIView):
    """Visits, loans and people served by age group, per place (vehicle or reading house), stop, district or month."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "outreach.view_visitrecord"}

    @extend_schema(parameters=[StatisticsParams], responses={200: inline_serializer("OutreachStats", {
        "start": serializers.DateField(), "end": serializers.DateField(), "by": serializers.CharField(),
        "rows": inline_serializer("OutreachStatRow", {
            "key": serializers.CharField(), "label": serializers.CharField(), "visits": serializers.IntegerField(),
            "loans": serializers.IntegerField(), "people": serializers.DictField(child=serializers.IntegerField()),
        }, many=True)})})
    def get(self, request):
        params = query_params(request, StatisticsParams)
        start, end = period(params)
        rows = queries.statistics(start, end, by=params["by"])
        return Response({"start": start, "end": end, "by": params["by"], "rows": [
            {"key": str(r.key[0]), "label": r.label, "visits": r.visits, "loans": r.loans, "people": r.people}
            for r in rows]})


urlpatterns = [
    path("outreach/stops/", StopList.as_view(), name="api-outreach-stops"),
    path("outreach/stops/<slug:code>/trips/", StopTrips.as_view(), name="api-outreach-stop-trips"),
    path("outreach/sync/", Sync.as_view(), name="api-outreach-sync"),
    path("outreach/conflicts/", ConflictList.as_view(), name="api-outreach-conflicts"),
    path("outreach/conflicts/<int:pk>/resolve/", ResolveConflict.as_view(), name="api-outreach-resolve"),
    path("outreach/deposits/", DepositList.as_view(), name="api-outreach-deposits"),
    path("outreach/statistics/", Statistics.as_view(), name="api-outreach-statistics"),
    *api_setup.urlpatterns,
]
