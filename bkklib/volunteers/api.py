"""REST API of volunteers under /api/v1/volunteers/ (wired by bkklib/api_urls.py).

Open calls are public; applying is the public form at /volunteer/ (honeypot, rate limit), not an API write,
so every write here checks the caller's role first (tests/api/test_check_order.py). Staff read volunteers
within their branches (another branch's is a 404) and the sensitive fields only with ``volunteers.view_sensitive``
(403 otherwise; every read logged).
A signed-in volunteer reads their own record (``me/``) and no one else's (404). Refusals are problem JSON
with the domain error's ``code``; nothing is stored then.
"""
from __future__ import annotations

from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.network import access
from bkklib.network.models import Branch

from . import api_swaps, queries, services
from .models import Call, Shift, Signup, Volunteer


class CallSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    role = serializers.CharField(source="role.name_th", read_only=True)
    min_age = serializers.IntegerField(source="criteria.min_age", read_only=True)
    consent_below_age = serializers.IntegerField(source="criteria.consent_below_age", read_only=True)
    min_hours_per_week = serializers.IntegerField(source="criteria.min_hours_per_week", read_only=True)

    class Meta:
        model = Call
        fields = ["id", "title", "branch", "role", "wanted", "opens_on", "closes_on", "description", "min_age",
                  "consent_below_age", "min_hours_per_week"]


class VolunteerSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Volunteer
        fields = ["id", "code", "first_name", "last_name", "branch", "status", "phone", "email", "skills"]


class SensitiveSerializer(serializers.Serializer):
    national_id = serializers.CharField()
    address = serializers.CharField()
    health_notes = serializers.CharField()


class ShiftSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    role = serializers.CharField(source="role.name_th", read_only=True)
    taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "branch", "role", "starts_at", "ends_at", "places", "taken", "note"]


class SignupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signup
        fields = ["id", "shift", "volunteer", "status", "checked_in_at", "checked_out_at", "check_method", "minutes",
                  "approved_at"]


class CallList(ListAPIView):
    """Recruitment calls open today."""

    serializer_class = CallSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return queries.open_calls(timezone.localdate())


class VolunteerParams(QueryParams):
    branch = serializers.SlugField(required=False, help_text=_("Branch code"))


class VolunteerList(ListAPIView):
    """Volunteers of the caller's branches (all for network admins)."""

    serializer_class = VolunteerSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "volunteers.view_volunteer"}

    @extend_schema(parameters=[VolunteerParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, VolunteerParams)
        rows = queries.volunteers_for(self.request.user).order_by("code")
        if params.get("branch"):
            rows = rows.filter(branch__code=params["branch"])
        return rows


def _visible(request, pk: int) -> Volunteer:
    """The volunteer ``pk`` if the caller may see it: themself, or staff of its branch; else 404."""
    own = queries.volunteer_of(request.user)
    if own is not None and own.pk == pk:
        return own
    if not request.user.has_perm("volunteers.view_volunteer"):
        raise NotFound()
    return get_object_or_404(queries.volunteers_for(request.user), pk=pk)


class VolunteerDetail(APIView):
    """One volunteer: the volunteer themself or staff of their branch (others: 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=VolunteerSerializer)
    def get(self, request, pk: int):
        return Response(VolunteerSerializer(_visible(request, pk)).data)


class VolunteerSensitive(APIView):
    """National ID, address and health notes: ``volunteers.view_sensitive`` at the branch; each read logged."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "volunteers.view_sensitive"}

    @extend_schema(responses=SensitiveSerializer)
    def get(self, request, pk: int):
        volunteer = get_object_or_404(queries.volunteers_for(request.user), pk=pk)
        fields = services.sensitive_fields(volunteer, request.user, path=request.path, purpose="API")
        return Response(SensitiveSerializer(fields).data)


class HoursSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)


class MeSerializer(serializers.Serializer):
    volunteer = VolunteerSerializer()
    hours = HoursSerializer(many=True)
    signups = SignupSerializer(many=True)


class Me(APIView):
    """The signed-in volunteer's own record, approved hours per fiscal year and shifts."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        volunteer = queries.volunteer_of(request.user)
        if volunteer is None:
            raise NotFound()
        hours = [{"fiscal_year": y, "hours": h} for y, h in queries.hours_by_fiscal_year(volunteer).items()]
        return Response(MeSerializer({"volunteer": volunteer, "hours": hours,
                                      "signups": list(queries.signups_of(volunteer)[:100])}).data)


class ShiftParams(QueryParams):
    branch = serializers.SlugField(help_text=_("Branch code"))
    # Checked here too so that a bad page is named with a missing branch (the paginator runs later).
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, required=False)


class ShiftList(ListAPIView):
    """The roster of a branch for the next four weeks."""

    serializer_class = ShiftSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "volunteers.view_shift"}

    @extend_schema(parameters=[ShiftParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no request parameters
            return Shift.objects.none()
        params = query_params(self.request, ShiftParams)
        branch = get_object_or_404(Branch, code=params["branch"])
        if not access.can_act_at(self.request.user, "volunteers.view_shift", branch):
            raise NotFound()
        now = timezone.now()
        return queries.roster(branch, now, now + timedelta(days=28))


class SignUp(APIView):
    """The signed-in volunteer signs up for a shift (overlap: 409 ``shift_overlap``)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "volunteers.add_signup"}  # the volunteer role's only permission here

    @extend_schema(request=None, responses={201: SignupSerializer})
    def post(self, request, pk: int):
        volunteer = queries.volunteer_of(request.user)
        if volunteer is None:
            raise NotFound()
        shift = get_object_or_404(Shift, pk=pk)
        return Response(SignupSerializer(services.sign_up(shift=shift, volunteer=volunteer)).data, status=201)


class HoursInput(serializers.Serializer):
    checked_in_at = serializers.DateTimeField()
    checked_out_at = serializers.DateTimeField()


class RecordHours(APIView):
    """Staff record a sign-up's check-in and check-out times (future times: 400 ``hours_future``)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "volunteers.change_signup"}

    @extend_schema(request=HoursInput, responses=SignupSerializer)
    def post(self, request, pk: int):
        signup = get_object_or_404(access.scope(Signup.objects.all(), request.user, "volunteers.change_signup"), pk=pk)
        data = HoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(SignupSerializer(services.record_hours(signup=signup, by=request.user,
                                                               **data.validated_data)).data)


urlpatterns = [
    path("volunteers/", VolunteerList.as_view(), name="api-volunteer-list"),
    path("volunteers/calls/", CallList.as_view(), name="api-volunteer-calls"),
    path("volunteers/me/", Me.as_view(), name="api-volunteer-me"),
    path("volunteers/shifts/", ShiftList.as_view(), name="api-volunteer-shifts"),
    path("volunteers/shifts/<int:pk>/sign-up/", SignUp.as_view(), name="api-volunteer-sign-up"),
    path("volunteers/signups/<int:pk>/hours/", RecordHours.as_view(), name="api-volunteer-hours"),
    *api_swaps.urlpatterns,
    path("volunteers/<int:pk>/", VolunteerDetail.as_view(), name="api-volunteer-detail"),
    path("volunteers/<int:pk>/sensitive/", VolunteerSensitive.as_view(), name="api-volunteer-sensitive"),
]
