"""REST API of shift swaps and QR check-in under /api/v1/volunteers/ (joined to ``api.urlpatterns``).

Every write checks the caller's role first (``RolePermission``), then looks up the records; a volunteer
acts only on their own sign-ups and the swaps asked of them (others: 404); staff decide swaps of their
branches only (another branch's: 404). Refusals are problem JSON with the domain error's ``code``
(``shift_started``, ``not_placed``, ``shift_overlap``, ``no_shift_now``...); nothing is stored then.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
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

from . import queries, services
from .models import Signup, Swap, Volunteer


class SwapSerializer(serializers.ModelSerializer):
    shift = serializers.IntegerField(source="signup.shift_id", read_only=True)
    from_volunteer = serializers.CharField(source="signup.volunteer.code", read_only=True)
    to_volunteer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_shift = serializers.IntegerField(source="to_signup.shift_id", read_only=True, allow_null=True)

    class Meta:
        model = Swap
        fields = ["id", "signup", "shift", "from_volunteer", "to_volunteer", "to_signup", "to_shift", "status",
                  "requested_at", "accepted_at", "decided_at", "note"]


class SwapParams(QueryParams):
    status = serializers.ChoiceField(choices=Swap.Status.choices, required=False, help_text=_("Swap status"))


class SwapList(ListAPIView):
    """Swaps of the caller's branches (staff), newest first; ``status=pending``: those waiting for staff."""

    serializer_class = SwapSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "volunteers.view_signup"}

    @extend_schema(parameters=[SwapParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, SwapParams)
        rows = access.scope(Swap.objects.select_related("signup__volunteer", "to_volunteer", "to_signup"),
                            self.request.user, "volunteers.view_signup", field="signup__branch")
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows.order_by("-requested_at", "-pk")


def _me(request) -> Volunteer:
    volunteer = queries.volunteer_of(request.user)
    if volunteer is None:
        raise NotFound()
    return volunteer


class SwapAsk(serializers.Serializer):
    to_volunteer = serializers.CharField(required=False, allow_blank=True,
                                         help_text=_("Volunteer code; empty with no to_signup: an open offer"))
    to_signup = serializers.IntegerField(required=False, allow_null=True,
                                         help_text=_("The other volunteer's sign-up, for an exchange"))


class AskSwap(APIView):
    """The signed-in volunteer offers their sign-up: to a volunteer, for their sign-up, or to anyone placed there."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "volunteers.add_swap"}

    @extend_schema(request=SwapAsk, responses={201: SwapSerializer})
    def post(self, request, pk: int):
        volunteer = _me(request)
        data = SwapAsk(data=request.data)
        data.is_valid(raise_exception=True)
        signup = get_object_or_404(Signup, pk=pk, volunteer=volunteer)
        to_volunteer = to_signup = None
        if data.validated_data.get("to_signup"):
            to_signup = get_object_or_404(Signup, pk=data.validated_data["to_signup"], branch_id=signup.branch_id)
        elif data.validated_data.get("to_volunteer"):
            to_volunteer = get_object_or_404(Volunteer, code=data.validated_data["to_volunteer"])
        swap = services.request_swap(signup=signup, volunteer=volunteer, to_volunteer=to_volunteer,
                                     to_signup=to_signup)
        return Response(SwapSerializer(swap).data, status=201)


class SwapAnswer(serializers.Serializer):
    accept = serializers.BooleanField()


class AnswerSwap(APIView):
    """The volunteer a swap was asked of (or anyone placed there, for an open offer) accepts or declines."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "volunteers.add_swap"}

    @extend_schema(request=SwapAnswer, responses=SwapSerializer)
    def post(self, request, pk: int):
        volunteer = _me(request)
        data = SwapAnswer(data=request.data)
        data.is_valid(raise_exception=True)
        swap = get_object_or_404(queries.open_swaps_for(volunteer), pk=pk)
        swap = services.answer_swap(swap=swap, volunteer=volunteer, accept=data.validated_data["accept"])
        return Response(SwapSerializer(swap).data)


class SwapDecision(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                 help_text=_("Required when refusing"))


class DecideSwap(APIView):
    """Staff of the branch approve (the sign-ups move) or refuse a swap both volunteers agreed."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "volunteers.approve_hours"}

    @extend_schema(request=SwapDecision, responses=SwapSerializer)
    def post(self, request, pk: int):
        data = SwapDecision(data=request.data)
        data.is_valid(raise_exception=True)
        swaps = access.scope(Swap.objects.all(), request.user, "volunteers.approve_hours", field="signup__branch")
        swap = get_object_or_404(swaps, pk=pk)
        swap = services.decide_swap(swap=swap, by=request.user, approve=data.validated_data["approve"],
                                    note=data.validated_data.get("note", ""))
        return Response(SwapSerializer(swap).data)


class ScanInput(serializers.Serializer):
    token = serializers.CharField(max_length=40, help_text=_("The token of the branch's QR poster"))


class ScanResult(serializers.Serializer):
    signup = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    checked_in_at = serializers.DateTimeField()
    checked_out_at = serializers.DateTimeField(allow_null=True)


class ScanCheckIn(APIView):
    """The signed-in volunteer scanned a branch's QR: checked in to their shift there now, or out of it
    (no shift there now: 422 ``no_shift_now``; an old poster: 404 ``checkin_code_unknown``)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "volunteers.add_signup"}

    @extend_schema(request=ScanInput, responses=ScanResult)
    def post(self, request):
        volunteer = _me(request)
        data = ScanInput(data=request.data)
        data.is_valid(raise_exception=True)
        signup = services.scan_checkin(token=data.validated_data["token"], volunteer=volunteer)
        return Response(ScanResult(signup).data)


class QrToken(serializers.Serializer):
    branch = serializers.CharField(source="branch.code")
    token = serializers.CharField()
    rotated_at = serializers.DateTimeField(allow_null=True)


class RotateQr(APIView):
    """Staff give their branch's QR check-in a new token (printed posters stop working)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "volunteers.change_shift"}

    @extend_schema(request=None, responses=QrToken)
    def post(self, request, code: str):
        branch = Branch.objects.filter(code=code).first()
        if branch is None:
            raise NotFound()
        return Response(QrToken(services.rotate_checkin_token(branch=branch, by=request.user)).data)


urlpatterns = [
    path("volunteers/swaps/", SwapList.as_view(), name="api-volunteer-swaps"),
    path("volunteers/signups/<int:pk>/swap/", AskSwap.as_view(), name="api-volunteer-swap-ask"),
    path("volunteers/swaps/<int:pk>/answer/", AnswerSwap.as_view(), name="api-volunteer-swap-answer"),
    path("volunteers/swaps/<int:pk>/decide/", DecideSwap.as_view(), name="api-volunteer-swap-decide"),
    path("volunteers/check-in/", ScanCheckIn.as_view(), name="api-volunteer-check-in"),
    path("volunteers/branches/<str:code>/check-in-qr/rotate/", RotateQr.as_view(),
         name="api-volunteer-qr-rotate"),
]
