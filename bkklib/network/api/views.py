"""Views of the network API and its router: public registry and hours, staff-only people, structure and coverage."""

from django.db import transaction
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, routers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core import pdpa
from bkklib.core.api import QueryParams, RolePermission, query_params

from .. import access, queries, services
from ..exceptions import coverage_range_error
from ..models import Assignment, Branch, Closure, District, OrgUnit, OrgVersion, StaffMember
from .filters import BranchFilter, ClosureFilter
from .serializers import (
    AssignmentSerializer,
    BranchInput,
    BranchSerializer,
    ClosureSerializer,
    DistrictSerializer,
    OrgUnitSerializer,
    StaffMemberPersonalSerializer,
    StaffMemberSerializer,
)


class StaffWithPerm(permissions.BasePermission):
    """Signed-in staff holding the view permission of the view's model (``required_perm``)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(view.required_perm))


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Bangkok's 50 districts (public)."""

    queryset = District.objects.order_by("code")
    serializer_class = DistrictSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    filter_backends: list = []


class BranchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Every branch of the network with hours and today's status (public read; scoped writes)."""

    serializer_class = BranchSerializer
    filterset_class = BranchFilter
    lookup_field = "code"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, RolePermission]
    write_perms = {"create": "network.add_branch", "update": "network.change_branch",
                   "partial_update": "network.change_branch", "verify": "network.verify_branch"}

    def get_queryset(self):
        return (Branch.objects.select_related("district", "parent")
                .prefetch_related("services", "opening_periods").order_by("code").distinct())

    def get_serializer_class(self):
        return BranchInput if self.request.method in ("POST", "PUT", "PATCH") else BranchSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["language"] = getattr(self.request, "LANGUAGE_CODE", "th")
        return context

    def _render(self, branches, many: bool):
        context = self.get_serializer_context()
        context["open_status"] = queries.open_status(branches)
        return BranchSerializer(branches if many else branches[0], many=many, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self._render(page, many=True))
        return Response(self._render(list(queryset), many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._render([self.get_object()], many=False))

    @extend_schema(request=BranchInput, responses={201: BranchSerializer})
    def create(self, request, *args, **kwargs):
        data = BranchInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        periods = values.pop("opening_hours", [])
        service_list = values.pop("services", [])
        verify = values.pop("verify", False)
        with transaction.atomic():
            branch = services.create_branch(by=request.user, services=service_list, periods=periods, verify=verify,
                                            **values)
        return Response(self._render([self.get_queryset().get(pk=branch.pk)], many=False),
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=BranchInput, responses={200: BranchSerializer})
    def update(self, request, *args, **kwargs):
        branch = self.get_object()
        partial = kwargs.get("partial", False)
        # Scoping first: a librarian of another branch learns nothing from validation errors.
        access.require(request.user, "network.change_branch", at=branch)
        data = BranchInput(branch, data=request.data, partial=partial, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.pop("code", branch.code) != branch.code:
            # Other apps and bookmarks refer to branches by code: it never changes through the API.
            raise serializers.ValidationError({"code": [_("A branch's code cannot be changed.")]})
        periods = values.pop("opening_hours", None)
        service_list = values.pop("services", None)
        verify = values.pop("verify", False)
        with transaction.atomic():
            branch = services.update_branch(branch=branch, by=request.user, changes=values, services=service_list,
                                            periods=periods, verify=verify)
        return Response(self._render([self.get_queryset().get(pk=branch.pk)], many=False))

    @extend_schema(request=None, responses={200: BranchSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, code=None):
        """Confirm the branch's basic data correct as of now."""
        branch = services.confirm_branch(branch=self.get_object(), by=request.user)
        return Response(self._render([self.get_queryset().get(pk=branch.pk)], many=False))


class ClosureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Closures: public holidays (network-wide) and branch closures (public read; scoped writes)."""

    queryset = Closure.objects.select_related("branch").order_by("starts_on", "pk")
    serializer_class = ClosureSerializer
    filterset_class = ClosureFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, RolePermission]
    write_perms = {"create": "network.add_closure", "destroy": "network.delete_closure"}

    def create(self, request, *args, **kwargs):
        access.require_at_codes(request.user, "network.add_closure", request.data, "branch")
        data = ClosureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {"branch": None, **data.validated_data}  # no branch: a network-wide closure
        closure = services.add_closure(by=request.user, **fields)
        return Response(ClosureSerializer(closure).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.remove_closure(closure=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffMemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff members of the user's branches (network admins: all). Personal data is logged when shown."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_staffmember"
    serializer_class = StaffMemberSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self):
        queryset = StaffMember.objects.prefetch_related("assignments__branch").order_by("employee_code")
        user = self.request.user
        if access.acts_everywhere(user):
            return queryset
        today = timezone.localdate()
        mine = access.branches_for(user, self.required_perm)
        working_here = Assignment.objects.active_on(today).filter(branch__in=mine).values("staff_id")
        return queryset.filter(pk__in=working_here)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.request.user.has_perm("network.view_staff_personal"):
            return StaffMemberPersonalSerializer
        return StaffMemberSerializer

    @extend_schema(responses=StaffMemberPersonalSerializer)
    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        serializer = self.get_serializer(member)
        if isinstance(serializer, StaffMemberPersonalSerializer):
            pdpa.log_access(request.user, member, purpose=StaffMember.PDPA_PURPOSE, path=request.path)
        return Response(serializer.data)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff assignments (primary posts and secondments) at the user's branches."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_assignment"
    serializer_class = AssignmentSerializer
    filterset_fields = ["kind", "branch__code", "staff"]

    def get_queryset(self):
        queryset = Assignment.objects.select_related("staff", "branch").order_by("starts_on", "pk")
        return access.scope(queryset, self.request.user, self.required_perm)


class OrgUnitQuery(QueryParams):
    on = serializers.DateField(required=False, help_text=_("the day whose structure is asked (default today)"))
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("a structure version id (drafts included)"))


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units of the structure in force on ``on`` (default today), or of structure ``version``."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_orgunit"
    serializer_class = OrgUnitSerializer
    filter_backends: list = []

    @extend_schema(parameters=[OrgUnitQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = OrgUnit.objects.select_related("parent").prefetch_related("branches", "positions__holder")
        if self.action != "list":
            return queryset
        params = query_params(self.request, OrgUnitQuery)
        if params.get("version"):
            version = OrgVersion.objects.filter(pk=params["version"]).first()
        else:
            version = queries.version_in_force(params.get("on"))
        return queryset.filter(version=version).order_by("order", "code") if version else queryset.none()


class CoverageView(APIView):
    """Branch-days below their minimum staff level in a date range, and secondment proposals."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.view_assignment"

    class Input(serializers.Serializer):
        start = serializers.DateField()
        end = serializers.DateField()

        def validate(self, attrs):
            error = coverage_range_error(attrs["start"], attrs["end"])
            if error:
                raise serializers.ValidationError({"end": [error]})
            return attrs

    @extend_schema(
        parameters=[OpenApiParameter("start", OpenApiTypes.DATE, required=True),
                    OpenApiParameter("end", OpenApiTypes.DATE, required=True)],
        responses=inline_serializer("Coverage", {
            "start": serializers.DateField(), "end": serializers.DateField(),
            "shortages": serializers.ListField(child=serializers.DictField()),
            "proposals": serializers.ListField(child=serializers.DictField()),
            "unresolved": serializers.ListField(child=serializers.DictField()),
        }),
    )
    def get(self, request):
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        mine = None if access.acts_everywhere(request.user) else list(
            access.branches_for(request.user, self.required_perm))
        report = queries.coverage(data.validated_data["start"], data.validated_data["end"], branches=mine)
        code = {pk: b.code for pk, b in report.branches.items()}
        return Response({
            "start": report.start, "end": report.end,
            "shortages": [{"branch": code[s.branch], "day": s.day, "have": s.have, "need": s.need}
                          for s in report.shortages],
            "proposals": [{"staff": p.staff, "from_branch": code[p.from_branch], "to_branch": code[p.to_branch],
                           "starts_on": p.starts_on, "ends_on": p.ends_on} for p in report.proposals],
            "unresolved": [{"branch": code[s.branch], "day": s.day, "have": s.have, "need": s.need}
                           for s in report.unresolved],
        })


class SecondStaffView(APIView):
    """Accept a secondment proposal: create the secondment (refused if it breaks a minimum)."""

    permission_classes = [StaffWithPerm]
    required_perm = "network.add_assignment"

    class Input(serializers.Serializer):
        staff = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.all())
        from_branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all())
        to_branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all())
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        note = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(request=Input, responses={201: AssignmentSerializer})
    def post(self, request):
        access.require_at_codes(request.user, self.required_perm, request.data, "from_branch", "to_branch")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.second_staff(by=request.user, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


router = routers.DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("districts", DistrictViewSet, basename="district")
router.register("branches", BranchViewSet, basename="branch")
router.register("closures", ClosureViewSet, basename="closure")
router.register("staff", StaffMemberViewSet, basename="staffmember")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("org-units", OrgUnitViewSet, basename="orgunit")

urlpatterns = [
    *router.urls,
    path("network/coverage/", CoverageView.as_view(), name="network-coverage"),
    path("network/second-staff/", SecondStaffView.as_view(), name="network-second-staff"),
]
