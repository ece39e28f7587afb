"""Pickup places outside the libraries (mobile library stops...) in the holds API: their shape and their list."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import RolePermission

from . import services


class PickupPlaceSerializer(serializers.Serializer):
    """A pickup place outside the libraries (e.g. a mobile library stop), served by ``branch``'s collection."""

    key = serializers.CharField()
    name = serializers.CharField()
    branch = serializers.CharField(required=False, help_text=_("code of the branch whose collection serves it"))
    group = serializers.CharField(required=False, help_text=_("heading for lists of places (the district)"))


def pickup_place_data(place, *, full: bool = False) -> dict | None:
    if place is None:
        return None
    data = {"key": place.key, "name": place.label}
    if full:
        data.update(branch=place.branch.code, group=place.group)
    return data


class PickupPlaceList(APIView):
    """Pickup places outside the libraries open for holds now (e.g. mobile library stops): ``pickup_place`` keys."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "circulation.view_hold"}  # RolePermission: refused before the places are looked up

    @extend_schema(responses={200: PickupPlaceSerializer(many=True)})
    def get(self, request):
        return Response([pickup_place_data(place, full=True) for place in services.pickup_places()])
