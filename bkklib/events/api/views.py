"""Views of the events API: resources (festivals, projects, activities, sessions, registrations) and verbs."""
from __future__ import annotations

import django_filters
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.circulation.models import Patron
from bkklib.core.api import FilterSet, RolePermission
from bkklib.core.exceptions import NotFound

from .. import queries, services
from ..models import Activity, Festival, Project, ProjectTarget, Registration, Session
from .serializers import (
    ActivitySerializer,
    CancelInput,
    CancelOutput,
    CheckInInput,
    FestivalSerializer,
    ProjectSerializer,
    RegisterInput,
    RegistrationSerializer,
    ScheduleInput,
    SessionSerializer,
)

# Ids beyond a database integer would overflow the query (a 500): refuse them as a bad parameter.
ID_LIMITS = {"min_value": 1, "max_value": 2_147_483_647}


def _require(request, perm: str) -> None:
    user = request.user
    if not (user and user.is_authenticated):
        raise NotAuthenticated()
    if not user.has_perm(perm):
        raise PermissionDenied()


class FestivalFilter(FilterSet):
    year = django_filters.NumberFilter(help_text=_("year (CE)"), min_value=2000, max_value=2200)

    class Meta:
        model = Festival
        fields = ["year"]


class FestivalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The city's festival of each month (public read)."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a failed query

    queryset = Festival.objects.order_by("year", "month")
    serializer_class = FestivalSerializer
    filterset_class = FestivalFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, RolePermission]
    write_perms = {"create": "events.add_festival", "update": "events.change_festival",
                   "partial_update": "events.change_festival"}

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        festival = services.save(Festival(**data.validated_data), staff=request.user, reason="api")
        return Response(FestivalSerializer(festival).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        festival = self.get_object()
        data = self.get_serializer(festival, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        for key, value in data.validated_data.items():
            setattr(festival, key, value)
        services.save(festival, staff=request.user, reason="api")
        return Response(FestivalSerializer(festival).data)


class ProjectFilter(FilterSet):
    fiscal_year = django_filters.NumberFilter(help_text=_("fiscal year (BE), e.g. 2569"), min_value=2500,
                                              max_value=2800)

    class Meta:
        model = Project
        fields = ["fiscal_year"]


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    """Reading-promotion projects of each fiscal year with targets (staff)."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a failed query

    queryset = Project.objects.prefetch_related("targets").order_by("-fiscal_year", "name")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"create": "events.add_project", "GET": "events.view_project"}

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        targets = values.pop("targets", [])
        project = Project(**values)
        rows = [ProjectTarget(project=project, **t) for t in targets]
        services.save(project, staff=request.user, reason="api", related=rows)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class ActivityFilter(FilterSet):
    branch = django_filters.CharFilter(field_name="branch__code", help_text=_("branch code"))
    festival = django_filters.NumberFilter(field_name="festival_id", **ID_LIMITS)
    project = django_filters.NumberFilter(field_name="project_id", **ID_LIMITS)
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices)

    class Meta:
        model = Activity
        fields = ["branch", "festival", "project", "status"]


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Activities: the public sees what is published; staff see their branches' drafts too."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a failed query

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, RolePermission]
    write_perms = {"create": "events.add_activity", "update": "events.change_activity",
                   "partial_update": "events.change_activity"}

    def get_queryset(self):
        user = self.request.user
        public = Activity.objects.exclude(status=Activity.Status.DRAFT)
        if user and user.is_authenticated and user.has_perm("events.view_activity"):
            public = public | queries.staff_activities(user)
        return public.select_related("branch").distinct().order_by("pk")

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.save(Activity(**data.validated_data), staff=request.user, reason="api")
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        activity = get_object_or_404(queries.staff_activities(request.user, perm="events.change_activity"),
                                     pk=kwargs["pk"])
        data = self.get_serializer(activity, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        for key, value in data.validated_data.items():
            setattr(activity, key, value)
        services.save(activity, staff=request.user, reason="api")
        return Response(ActivitySerializer(activity).data)


class SessionFilter(FilterSet):
    activity = django_filters.NumberFilter(field_name="activity_id", **ID_LIMITS)
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Session
        fields = ["activity", "starts_after", "starts_before"]


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sessions with places taken and waiting (public for published activities)."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        user = self.request.user
        rows = Session.objects.exclude(activity__status=Activity.Status.DRAFT)
        if user and user.is_authenticated and user.has_perm("events.view_session"):
            rows = rows | Session.objects.filter(activity__in=queries.staff_activities(user))
        return rows.distinct().annotate(
            registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
            waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
        ).order_by("starts_at", "pk")


class RegistrationFilter(FilterSet):
    session = django_filters.NumberFilter(field_name="session_id", **ID_LIMITS)
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices)

    class Meta:
        model = Registration
        fields = ["session", "status"]


class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    """Registrations of the sessions at the caller's branches (staff; personal data)."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a failed query

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema asks without a user
            return Registration.objects.none()
        _require(self.request, "events.view_registration")
        return (Registration.objects.filter(session__activity__in=queries.staff_activities(self.request.user))
                .select_related("patron").order_by("session_id", "position"))


def _session(pk: int) -> Session:
    session = Session.objects.filter(pk=pk).first()
    if session is None:
        raise NotFound(code="session_not_found", message=_("No session {number}."), number=pk)
    return session


class RegisterView(APIView):
    """Register a patron (by card) or a guest for a session: POST /api/v1/events/register/ (staff)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "events.add_registration"}

    @extend_schema(request=RegisterInput, responses={201: RegistrationSerializer})
    def post(self, request):
        data = RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        session = _session(v["session"])
        if v.get("patron_card"):
            patron = Patron.objects.filter(card_number=v["patron_card"]).first()
            if patron is None:
                raise NotFound(code="patron_not_found", message=_("No patron has card {card}."), card=v["patron_card"])
            registration = services.register(session=session, patron=patron, staff=request.user, gender=v["gender"],
                                             wants_certificate=v["wants_certificate"])
        else:
            registration = services.register(session=session, guest=services.Guest(**v["guest"]), staff=request.user,
                                             gender=v["gender"], wants_certificate=v["wants_certificate"])
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class CancelView(APIView):
    """Cancel a registration; the waiting list moves up in order: POST /api/v1/events/cancel/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "events.change_registration"}

    @extend_schema(request=CancelInput, responses={200: CancelOutput})
    def post(self, request):
        data = CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        registration = get_object_or_404(Registration.objects.filter(
            session__activity__in=queries.staff_activities(request.user, perm="events.change_registration")),
            pk=data.validated_data["registration"])
        promoted = services.cancel(registration=registration, staff=request.user)
        registration.refresh_from_db()
        return Response({"cancelled": RegistrationSerializer(registration).data,
                         "promoted": RegistrationSerializer(promoted, many=True).data})


class CheckInView(APIView):
    """Check a participant in by card number or registration code: POST /api/v1/events/check-in/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "events.change_registration"}

    @extend_schema(request=CheckInInput, responses={200: RegistrationSerializer})
    def post(self, request):
        data = CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = queries.staff_session(request.user, data.validated_data["session"],
                                        perm="events.change_registration")
        registration = services.check_in(session=session, code=data.validated_data["code"], staff=request.user)
        return Response(RegistrationSerializer(registration).data)


class ScheduleView(APIView):
    """Add one session or a weekly series to an activity: POST /api/v1/events/schedule/."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "events.add_session"}

    @extend_schema(request=ScheduleInput, responses={201: SessionSerializer(many=True)})
    def post(self, request):
        data = ScheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        activity = get_object_or_404(queries.staff_activities(request.user, perm="events.add_session"),
                                     pk=v.pop("activity"))
        sessions = services.schedule_sessions(activity=activity, staff=request.user, **v)
        return Response(SessionSerializer(sessions, many=True).data, status=status.HTTP_201_CREATED)
