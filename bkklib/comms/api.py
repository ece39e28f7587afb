"""REST API of comms under /api/v1/comms/ (wired by bkklib/api_urls.py): channels, posts, steps, drafts, report.

Staff only. Posts are listed within the caller's branches and the division's; every write goes
through the services, so the refusals (``own_post``, ``too_long``, ``wrong_state``...) are problem
JSON with the same Thai text as the pages. Channel tokens are write-only: no answer ever carries one.
"""
from __future__ import annotations

from datetime import date

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView, get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from bkklib.core.api import QueryParams, RolePermission, query_params
from bkklib.network.models import Branch

from . import drafts, queries, services
from .models import Channel, Post, Variant


class ChannelSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    has_token = serializers.BooleanField(read_only=True)

    class Meta:
        model = Channel
        fields = ["id", "kind", "name", "branch", "account_id", "is_active", "has_token"]


class VariantSerializer(serializers.ModelSerializer):
    channel = serializers.PrimaryKeyRelatedField(read_only=True)
    channel_kind = serializers.CharField(source="channel.kind", read_only=True)
    text_sent = serializers.SerializerMethodField()
    reach = serializers.SerializerMethodField()

    class Meta:
        model = Variant
        fields = ["channel", "channel_kind", "text", "text_sent", "state", "attempts", "next_attempt_at",
                  "last_error", "external_id", "published_at", "reach"]

    def get_text_sent(self, variant) -> str:
        return services.channel_text(variant.post, variant.text)

    def get_reach(self, variant) -> dict | None:
        r = getattr(variant, "reach", None)
        if r is None:
            return None
        return {"reach": r.reach, "impressions": r.impressions, "reactions": r.reactions, "comments": r.comments,
                "shares": r.shares, "clicks": r.clicks, "origin": r.origin, "imported_at": r.imported_at}


class PostSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, default=None)
    hashtags = serializers.ListField(source="hashtag_list", child=serializers.CharField(), read_only=True)
    variants = VariantSerializer(many=True, read_only=True)

    class Meta:
        model = Post
        fields = ["id", "title", "text", "link", "hashtags", "image_url", "image_alt_th", "branch", "status",
                  "publish_at", "source", "source_id", "author", "approved_by", "approved_at", "published_at",
                  "variants"]


class PostParams(QueryParams):
    branch = serializers.SlugField(required=False, help_text=_("Branch code"))
    status = serializers.ChoiceField(choices=Post.Status.choices, required=False)
    start = serializers.DateTimeField(required=False, help_text=_("Posts to publish from this moment"))
    end = serializers.DateTimeField(required=False, help_text=_("...and before this moment"))


class VariantInput(serializers.Serializer):
    channel = serializers.IntegerField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class PostInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    link = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    hashtags = serializers.CharField(required=False, allow_blank=True, default="", max_length=300,
                                     help_text=_("Without “#”, separated by spaces."))
    branch = serializers.SlugField(required=False, allow_null=True, default=None,
                                   help_text=_("Branch code; empty: the whole division"))
    publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    image_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    image_alt_th = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    variants = VariantInput(many=True, help_text=_("The channels, each with its own text or empty for the master"))


def _save(request, post: Post | None):
    data = PostInput(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    branch = get_object_or_404(Branch, code=v["branch"]) if v["branch"] else None
    chosen = {row["channel"]: row["text"] for row in v["variants"]}
    channels = list(Channel.objects.filter(pk__in=chosen))
    if len(channels) != len(chosen):
        raise serializers.ValidationError({"variants": [_("Unknown channel.")]})
    return services.save_post(by=request.user, post=post, title=v["title"], text=v["text"], link=v["link"],
                              hashtags=v["hashtags"], branch=branch, publish_at=v["publish_at"],
                              image_url=v["image_url"], image_alt_th=v["image_alt_th"], channels=channels,
                              variants=chosen)


def _posts(user):
    return queries.posts_for(user).prefetch_related("variants__channel", "variants__reach", "variants__post")


class ChannelList(ListAPIView):
    """Channels (no tokens: they are write-only, set on the staff page)."""

    serializer_class = ChannelSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "comms.view_channel"}
    queryset = Channel.objects.select_related("branch").order_by("kind", "name")


class PostList(ListAPIView):
    """Posts of the caller's branches and the division (GET); a new draft (POST)."""

    serializer_class = PostSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "comms.view_post", "POST": "comms.add_post"}

    @extend_schema(parameters=[PostParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query_params(self.request, PostParams)
        rows = _posts(self.request.user).order_by("publish_at", "pk")
        if params.get("branch"):
            rows = rows.filter(branch__code=params["branch"])
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        if params.get("start"):
            rows = rows.filter(publish_at__gte=params["start"])
        if params.get("end"):
            rows = rows.filter(publish_at__lt=params["end"])
        return rows

    @extend_schema(request=PostInput, responses={201: PostSerializer})
    def post(self, request):
        post = _save(request, None)
        return Response(PostSerializer(_posts(request.user).get(pk=post.pk)).data, status=status.HTTP_201_CREATED)


class PostDetail(APIView):
    """One post (GET); change a draft (PUT)."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "comms.view_post", "PUT": "comms.change_post"}

    @extend_schema(responses=PostSerializer)
    def get(self, request, pk: int):
        return Response(PostSerializer(get_object_or_404(_posts(request.user), pk=pk)).data)

    @extend_schema(request=PostInput, responses=PostSerializer)
    def put(self, request, pk: int):
        post = _save(request, get_object_or_404(_posts(request.user), pk=pk))
        return Response(PostSerializer(_posts(request.user).get(pk=post.pk)).data)


class StepInput(serializers.Serializer):
    publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PostStep(APIView):
    """POST /api/v1/comms/posts/{id}/{step}/: submit, approve, return, schedule, unschedule, retry."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    # Every step needs change_post at least (role first, before any look-up); approving also needs
    # approve_post, which the service checks.
    write_perms = {"POST": "comms.change_post"}
    step = ""

    @extend_schema(request=StepInput, responses=PostSerializer)
    def post(self, request, pk: int):
        data = StepInput(data=request.data)
        data.is_valid(raise_exception=True)
        post = get_object_or_404(_posts(request.user), pk=pk)
        services.act(post=post, action=self.step, by=request.user, note=data.validated_data["note"],
                     publish_at=data.validated_data["publish_at"])
        return Response(PostSerializer(_posts(request.user).get(pk=pk)).data)


class DraftInput(serializers.Serializer):
    source = serializers.ChoiceField(choices=drafts.SOURCES)
    source_id = serializers.CharField(max_length=40, help_text=_("Activity, festival or news ID; YYYY-MM for new "
                                                                  "books; the collection's slug"))
    branch = serializers.SlugField(required=False, allow_null=True, default=None)


class DraftCreate(APIView):
    """One click: a draft from an activity, festival, new books of a month, e-book collection or news post."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"POST": "comms.add_post"}

    @extend_schema(request=DraftInput, responses={201: PostSerializer})
    def post(self, request):
        data = DraftInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        branch = get_object_or_404(Branch, code=v["branch"]) if v["branch"] else None
        post = drafts.create_draft(source=v["source"], source_id=v["source_id"], by=request.user, branch=branch)
        return Response(PostSerializer(_posts(request.user).get(pk=post.pk)).data, status=status.HTTP_201_CREATED)


class ReportParams(QueryParams):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text=_("YYYY-MM"))
    branch = serializers.SlugField(required=False)

    def validate_month(self, value: str) -> str:
        try:
            if not 2000 <= date.fromisoformat(value + "-01").year <= 2200:
                raise ValueError
        except ValueError:
            raise serializers.ValidationError(_("Give the month as YYYY-MM.")) from None
        return value


class ReportRowSerializer(serializers.Serializer):
    channel = serializers.CharField()
    kind = serializers.CharField()
    branch = serializers.CharField()
    posts = serializers.IntegerField()
    reach = serializers.IntegerField()
    impressions = serializers.IntegerField()
    engagement = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    month = serializers.CharField()
    total_posts = serializers.IntegerField()
    total_reach = serializers.IntegerField()
    total_engagement = serializers.IntegerField()
    rows = ReportRowSerializer(many=True)
    top = serializers.ListField(child=serializers.DictField())


class Report(APIView):
    """The monthly PR report: per channel and branch, with the top posts by engagement."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    write_perms = {"GET": "comms.view_comms_report"}

    @extend_schema(parameters=[ReportParams], responses=ReportSerializer)
    def get(self, request):
        params = query_params(request, ReportParams)
        month = date.fromisoformat(params["month"] + "-01")
        branch = get_object_or_404(Branch, code=params["branch"]) if params.get("branch") else None
        data = queries.monthly_report(request.user, month, branch=branch)
        return Response(ReportSerializer({
            "month": params["month"], "total_posts": data.total_posts, "total_reach": data.total_reach,
            "total_engagement": data.total_engagement, "rows": data.rows,
            "top": [{"post": v.post_id, "title": v.post.title, "channel": v.channel_id, "engagement": e}
                    for v, e in data.top]}).data)


urlpatterns = [
    path("comms/channels/", ChannelList.as_view(), name="api-comms-channels"),
    path("comms/posts/", PostList.as_view(), name="api-comms-posts"),
    path("comms/posts/<int:pk>/", PostDetail.as_view(), name="api-comms-post"),
    *[path(f"comms/posts/<int:pk>/{step}/", PostStep.as_view(step=step), name=f"api-comms-post-{step}")
      for step in ("submit", "approve", "return", "schedule", "unschedule", "retry")],
    path("comms/drafts/", DraftCreate.as_view(), name="api-comms-drafts"),
    path("comms/report/", Report.as_view(), name="api-comms-report"),
]
