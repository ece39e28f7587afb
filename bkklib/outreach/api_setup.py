"""REST API of the outreach set-up: vehicles and their maintenance log, routes, stops, timetables.

Staff only. The role is checked first (RolePermission, 403 before anything is read), then the
branch: rows are scoped to the mobile units where the caller holds the permission (another
branch's row is 404), and the verbs of ``setup`` check the permission at the unit again, validate
(problem JSON with the rule's code: ``plate_format``, ``timetable_overlap``, ``outside_bangkok``...)
and audit. Nothing is deleted that has a history: ``DELETE`` of a timetable entry ends it.
"""
from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import RolePermission
from bkklib.network import access
from bkklib.network.models import Branch, District

from . import setup
from .models import MaintenanceLog, Route, Stop, Timetable, Vehicle

STAFF = [permissions.IsAuthenticated, RolePermission]
UNIT = {Vehicle: "unit", Route: "vehicle__unit", Stop: "route__vehicle__unit", Timetable: "stop__route__vehicle__unit"}


def scoped(model, user, perm):
    return access.scope(model.objects.all(), user, perm, field=UNIT[model])


class VehicleSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.filter(
        kind=Branch.Kind.MOBILE_UNIT), help_text=_("Code of the mobile unit branch"))

    class Meta:
        model = Vehicle
        fields = ["id", "unit", "name_th", "plate", "kind", "capacity", "status"]
        validators = []  # the verbs check plates (with a Thai message and a code)
        extra_kwargs = {"plate": {"validators": []}}


class MaintenanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaintenanceLog
        fields = ["id", "starts_on", "ends_on", "work", "cost"]


class RouteSerializer(serializers.ModelSerializer):
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all())

    class Meta:
        model = Route
        fields = ["id", "code", "vehicle", "name_th", "name_en", "is_active"]
        extra_kwargs = {"code": {"validators": []}}


class StopWriteSerializer(serializers.ModelSerializer):
    route = serializers.SlugRelatedField(slug_field="code", queryset=Route.objects.all())
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())

    class Meta:
        model = Stop
        fields = ["id", "code", "route", "name_th", "name_en", "district", "address", "latitude", "longitude",
                  "contact_name", "contact_phone", "audience", "is_pickup_point", "is_active"]
        validators = []
        extra_kwargs = {"code": {"validators": []}}


class TimetableSerializer(serializers.ModelSerializer):
    stop = serializers.SlugRelatedField(slug_field="code", queryset=Stop.objects.all())

    class Meta:
        model = Timetable
        fields = ["id", "stop", "weekday", "on_date", "arrives_at", "departs_at", "valid_from", "valid_until"]
        validators = []  # the verbs answer weekday-or-date, departure and overlap with their codes


def _data(serializer_class, request, instance=None):
    serializer = serializer_class(instance, data=request.data, partial=instance is not None)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    data.pop("id", None)
    return data


def _current(instance, serializer_class, data: dict) -> dict:
    """A partial update's values merged over the row's (the verbs take the whole row)."""
    names = [n for n in serializer_class.Meta.fields if n != "id"]
    return {**{n: getattr(instance, n) for n in names}, **data}


class VehicleList(ListAPIView):
    """Vehicles at the caller's mobile units (GET); add a vehicle to a mobile unit (POST, network admins)."""

    serializer_class = VehicleSerializer
    permission_classes = STAFF
    write_perms = {"GET": "outreach.view_vehicle", "POST": "outreach.add_vehicle"}

    def get_queryset(self):
        return scoped(Vehicle, self.request.user, "outreach.view_vehicle").select_related("unit").order_by("pk")

    @extend_schema(request=VehicleSerializer, responses={201: VehicleSerializer})
    def post(self, request):
        access.require_at_codes(request.user, "outreach.add_vehicle", request.data, "unit")
        vehicle = setup.create_vehicle(by=request.user, **_data(VehicleSerializer, request))
        return Response(VehicleSerializer(vehicle).data, status=status.HTTP_201_CREATED)


class VehicleDetail(APIView):
    """Change a vehicle (name, plate, kind, capacity, status; ``retired`` takes it out of service for good)."""

    permission_classes = STAFF
    write_perms = {"PATCH": "outreach.change_vehicle"}

    @extend_schema(request=VehicleSerializer, responses={200: VehicleSerializer})
    def patch(self, request, pk: int):
        vehicle = get_object_or_404(scoped(Vehicle, request.user, "outreach.change_vehicle"), pk=pk)
        data = _data(VehicleSerializer, request, vehicle)
        data.pop("unit", None)
        vehicle = setup.update_vehicle(vehicle=vehicle, by=request.user, **data)
        return Response(VehicleSerializer(vehicle).data)


class MaintenanceCreate(APIView):
    """Add an entry to a vehicle's maintenance log."""

    permission_classes = STAFF
    write_perms = {"POST": "outreach.add_maintenancelog"}

    @extend_schema(request=MaintenanceSerializer, responses={201: MaintenanceSerializer})
    def post(self, request, pk: int):
        vehicle = get_object_or_404(scoped(Vehicle, request.user, "outreach.add_maintenancelog"), pk=pk)
        entry = setup.log_maintenance(vehicle=vehicle, by=request.user, **_data(MaintenanceSerializer, request))
        return Response(MaintenanceSerializer(entry).data, status=status.HTTP_201_CREATED)


class RouteList(ListAPIView):
    """Routes of the caller's vehicles (GET); add a route (POST, network admins)."""

    serializer_class = RouteSerializer
    permission_classes = STAFF
    write_perms = {"GET": "outreach.view_route", "POST": "outreach.add_route"}

    def get_queryset(self):
        return scoped(Route, self.request.user, "outreach.view_route").order_by("code")

    @extend_schema(request=RouteSerializer, responses={201: RouteSerializer})
    def post(self, request):
        route = setup.save_route(by=request.user, **_data(RouteSerializer, request))
        return Response(RouteSerializer(route).data, status=status.HTTP_201_CREATED)


class RouteDetail(APIView):
    """Change a route; ``is_active: false`` ends the trips of its stops."""

    permission_classes = STAFF
    write_perms = {"PATCH": "outreach.change_route"}

    @extend_schema(request=RouteSerializer, responses={200: RouteSerializer})
    def patch(self, request, pk: int):
        route = get_object_or_404(scoped(Route, request.user, "outreach.change_route"), pk=pk)
        data = _current(route, RouteSerializer, _data(RouteSerializer, request, route))
        route = setup.save_route(by=request.user, route=route, **data)
        return Response(RouteSerializer(route).data)


def create_stop(request) -> Response:
    """POST /outreach/stops/ (the list's write, see api.StopList)."""
    stop = setup.save_stop(by=request.user, **_data(StopWriteSerializer, request))
    return Response(StopWriteSerializer(stop).data, status=status.HTTP_201_CREATED)


class StopDetail(APIView):
    """Change a stop: place, district, coordinates (inside Bangkok), contact, audience, pickup place, active."""

    permission_classes = STAFF
    write_perms = {"PATCH": "outreach.change_stop"}

    @extend_schema(request=StopWriteSerializer, responses={200: StopWriteSerializer})
    def patch(self, request, code: str):
        stop = get_object_or_404(scoped(Stop, request.user, "outreach.change_stop"), code=code)
        data = _current(stop, StopWriteSerializer, _data(StopWriteSerializer, request, stop))
        stop = setup.save_stop(by=request.user, stop=stop, **data)
        return Response(StopWriteSerializer(stop).data)


class TimetableList(ListAPIView):
    """Timetable entries of the caller's stops (GET); add one (POST): the stop's trips are planned."""

    serializer_class = TimetableSerializer
    permission_classes = STAFF
    write_perms = {"GET": "outreach.view_timetable", "POST": "outreach.add_timetable"}

    def get_queryset(self):
        return scoped(Timetable, self.request.user, "outreach.view_timetable").select_related("stop").order_by("pk")

    @extend_schema(request=TimetableSerializer, responses={201: TimetableSerializer})
    def post(self, request):
        entry = setup.save_timetable(by=request.user, **_data(TimetableSerializer, request))
        return Response(TimetableSerializer(entry).data, status=status.HTTP_201_CREATED)


class TimetableDetail(APIView):
    """Change a timetable entry (the stop's future trips are planned again), or end it (DELETE)."""

    permission_classes = STAFF
    write_perms = {"PATCH": "outreach.change_timetable", "DELETE": "outreach.change_timetable"}

    @extend_schema(request=TimetableSerializer, responses={200: TimetableSerializer})
    def patch(self, request, pk: int):
        entry = get_object_or_404(scoped(Timetable, request.user, "outreach.change_timetable"), pk=pk)
        data = _current(entry, TimetableSerializer, _data(TimetableSerializer, request, entry))
        entry = setup.save_timetable(by=request.user, entry=entry, **data)
        return Response(TimetableSerializer(entry).data)

    @extend_schema(responses={200: TimetableSerializer, 204: None})
    def delete(self, request, pk: int):
        """End the entry: kept with ``valid_until`` yesterday when it has served visits (200), else deleted (204)."""
        entry = get_object_or_404(scoped(Timetable, request.user, "outreach.change_timetable"), pk=pk)
        kept = setup.end_timetable(entry=entry, by=request.user)
        if kept is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(TimetableSerializer(kept).data)


urlpatterns = [
    path("outreach/vehicles/", VehicleList.as_view(), name="api-outreach-vehicles"),
    path("outreach/vehicles/<int:pk>/", VehicleDetail.as_view(), name="api-outreach-vehicle"),
    path("outreach/vehicles/<int:pk>/maintenance/", MaintenanceCreate.as_view(), name="api-outreach-maintenance"),
    path("outreach/routes/", RouteList.as_view(), name="api-outreach-routes"),
    path("outreach/routes/<int:pk>/", RouteDetail.as_view(), name="api-outreach-route"),
    path("outreach/stops/<slug:code>/", StopDetail.as_view(), name="api-outreach-stop"),
    path("outreach/timetables/", TimetableList.as_view(), name="api-outreach-timetables"),
    path("outreach/timetables/<int:pk>/", TimetableDetail.as_view(), name="api-outreach-timetable"),
]
