"""REST API of spaces under /api/v1/spaces/ (wired by bkklib/api_urls.py): spaces, availability, bookings.

Spaces and their availability are public reads. Bookings are staff's: listed within the caller's
branches, made for a card holder (walk-in), cancelled, checked in, and blocks. Refusals are problem
JSON whose ``code`` is the rule's reason (``over_capacity``, ``holiday``, ``taken``...); nothing is stored.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.circulation import queries as circulation_queries
from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.core.pdpa import log_access

from . import queries, services
from .models import Booking, Space


class SpaceSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    features = serializers.ListField(source="feature_list", child=serializers.CharField(), read_only=True)
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Space
        fields = ["id", "branch", "code", "name_th", "name_en", "kind", "capacity", "features", "is_step_free",
                  "has_accessible_toilet", "is_public", "description", "photo"]

    def get_photo(self, space) -> str | None:
        return space.photo.url if space.photo else None


class BookingSerializer(serializers.ModelSerializer):
    space = serializers.PrimaryKeyRelatedField(read_only=True)
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    patron_card = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = ["id", "code", "space", "branch", "patron_card", "kind", "status", "starts_at", "ends_at", "people",
                  "purpose", "reason", "checked_in_at", "cancelled_at", "cancel_reason"]

    def get_patron_card(self, booking) -> str | None:
        return booking.patron.card_number if booking.patron_id else None


class SpaceParams(QueryParams):
    branch = serializers.SlugField(required=False, help_text=_("Branch code"))
    kind = serializers.ChoiceField(choices=Space.Kind.choices, required=False)


class SpaceList(ListAPIView):
    """Spaces the public may book (every active space for staff with ``spaces.view_space``)."""

    serializer_class = SpaceSerializer
    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[SpaceParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, SpaceParams)
        rows = Space.objects.filter(is_active=True).select_related("branch").order_by("branch__code", "kind", "code")
        if not self.request.user.has_perm("spaces.view_space"):
            rows = rows.filter(is_public=True)
        if params.get("branch"):
            rows = rows.filter(branch__code=params["branch"])
        if params.get("kind"):
            rows = rows.filter(kind=params["kind"])
        return rows


class SpaceDetail(RetrieveAPIView):
    serializer_class = SpaceSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Space.objects.filter(is_active=True, is_public=True).select_related("branch")


class AvailabilityParams(QueryParams):
    date = serializers.DateField(required=False, help_text=_("First day (today by default)"))
    days = serializers.IntegerField(required=False, min_value=1, max_value=14, default=1)


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=["free", "taken", "past"])


class AvailabilitySerializer(serializers.Serializer):
    space = serializers.IntegerField()
    slots = SlotSerializer(many=True)


class SpaceAvailability(APIView):
    """Free and taken slots of one space over 1–14 days (a closed day has no slots)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[AvailabilityParams], responses=AvailabilitySerializer)
    def get(self, request, pk: int):
        space = get_object_or_404(Space.objects.filter(is_active=True, is_public=True).select_related("branch"), pk=pk)
        params = query_params(request, AvailabilityParams)
        now = timezone.now()
        start = params.get("date") or timezone.localdate(now)
        grid = queries.availability(space.branch, start, params.get("days") or 1, now=now, spaces=[space])
        slots = [{"starts_at": queries.aware(c.start), "ends_at": queries.aware(c.end), "state": c.state}
                 for _day, cells in grid.rows[0].days for c in cells]
        return Response(AvailabilitySerializer({"space": space.pk, "slots": slots}).data)


class BookingParams(QueryParams):
    branch = serializers.SlugField(required=False)
    date = serializers.DateField(required=False)


class BookingInput(serializers.Serializer):
    space = serializers.IntegerField()
    card = serializers.CharField(max_length=32, help_text=_("The patron's card number"))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    people = serializers.IntegerField(min_value=1, max_value=500, default=1)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    repeat_until = serializers.DateField(required=False, help_text=_("Repeat weekly until this day"))


class BookingList(ListAPIView):
    """Bookings at the caller's branches (GET); a booking for a card holder, once or weekly (POST)."""

    serializer_class = BookingSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "spaces.view_booking", "POST": "spaces.add_booking"}

    @extend_schema(parameters=[BookingParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, BookingParams)
        rows = queries.scoped_bookings(self.request.user).order_by("starts_at", "pk")
        if params.get("branch"):
            rows = rows.filter(branch__code=params["branch"])
        if params.get("date"):
            lo = queries.aware(datetime.combine(params["date"], time.min))
            rows = rows.overlapping(lo, lo + timedelta(days=1))
        return rows

    @extend_schema(request=BookingInput, responses={201: BookingSerializer(many=True)})
    def post(self, request):
        data = BookingInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        space = get_object_or_404(Space.objects.select_related("branch"), pk=values["space"])
        patron = circulation_queries.patron_by_card(values["card"])
        log_access(request.user, patron, action="book", path=request.path, purpose="space booking")
        common = {"space": space, "patron": patron, "starts_at": values["starts_at"], "ends_at": values["ends_at"],
                  "people": values["people"], "purpose": values["purpose"], "by": request.user}
        if values.get("repeat_until"):
            made, refused = services.book_series(until=values["repeat_until"], **common)
            body = {"bookings": BookingSerializer(made, many=True).data,
                    "refused": [{"date": d.isoformat(), "reason": text} for d, text in refused]}
            return Response(body, status=status.HTTP_201_CREATED)
        booking = services.book_space(**common)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingAction(APIView):
    """POST /api/v1/spaces/bookings/{id}/cancel/ or /check-in/ (staff of the booking's branch)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "spaces.change_booking"}
    action_name = ""

    @extend_schema(request=None, responses=BookingSerializer)
    def post(self, request, pk: int):
        booking = get_object_or_404(queries.scoped_bookings(request.user, "spaces.change_booking"), pk=pk)
        if self.action_name == "cancel":
            booking = services.cancel_booking(booking=booking, by=request.user, reason=request.data.get("reason", ""))
        else:
            booking = services.check_in(booking=booking, by=request.user)
        return Response(BookingSerializer(booking).data)


class BlockInput(serializers.Serializer):
    space = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=200)


class BlockCreate(APIView):
    """Block a space for a reason (maintenance, an activity): POST /api/v1/spaces/blocks/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "spaces.block_space"}

    @extend_schema(request=BlockInput, responses={201: BookingSerializer})
    def post(self, request):
        data = BlockInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        space = get_object_or_404(Space.objects.select_related("branch"), pk=values["space"])
        booking = services.block_space(space=space, starts_at=values["starts_at"], ends_at=values["ends_at"],
                                       reason=values["reason"], by=request.user)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("spaces/", SpaceList.as_view(), name="api-space-list"),
    path("spaces/bookings/", BookingList.as_view(), name="api-space-booking-list"),
    path("spaces/bookings/<int:pk>/cancel/", BookingAction.as_view(action_name="cancel"),
         name="api-space-booking-cancel"),
    path("spaces/bookings/<int:pk>/check-in/", BookingAction.as_view(action_name="check_in"),
         name="api-space-booking-check-in"),
    path("spaces/blocks/", BlockCreate.as_view(), name="api-space-block"),
    path("spaces/<int:pk>/", SpaceDetail.as_view(), name="api-space-detail"),
    path("spaces/<int:pk>/availability/", SpaceAvailability.as_view(), name="api-space-availability"),
]
