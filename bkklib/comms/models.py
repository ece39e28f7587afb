"""Tables of the comms app: channels, posts with per-channel variants, who did what, reach figures."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel

from . import crypto


class Channel(TimeStampedModel):
    """Where posts go: a Facebook page, a LINE Official Account, an X account or the website's news.

    ``branch`` empty: a channel of the whole division. Credentials (page token, channel access
    token, user token) are stored encrypted (``crypto.py``) and never shown, logged or kept in history.
    """

    class Kind(models.TextChoices):
        FACEBOOK = "facebook", _("Facebook page")
        LINE = "line", _("LINE Official Account")
        X = "x", _("X account")
        WEBSITE = "website", _("website news")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("branch"),
                               help_text=_("Empty: a channel of the whole division."))
    account_id = models.CharField(_("page or account ID"), max_length=100, blank=True,
                                  help_text=_("Facebook: the page ID. LINE: an audience group ID for narrowcast "
                                              "(empty: broadcast to every friend). X: not needed."))
    base_url = models.URLField(_("API address"), blank=True,
                               help_text=_("Empty: the service's real address. Set only for a test server."))
    credentials_encrypted = models.TextField(_("access token (encrypted)"), blank=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=["credentials_encrypted"])

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["kind", "name"]
        permissions = [("manage_channel", _("Can set up channels and their access tokens"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="comms_channel_name_per_kind",
                                    violation_error_message=_("There is already a channel of this kind with this name.")),
            models.CheckConstraint(condition=~Q(name=""), name="comms_channel_has_name",
                                   violation_error_message=_("A channel needs a name.")),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def __repr__(self):  # never the token, not even encrypted
        return f"<Channel {self.pk} {self.kind} {self.name!r}>"

    @property
    def token(self) -> str:
        """The access token in clear text (for the adapter only; never log or render it)."""
        return crypto.decrypt(self.credentials_encrypted)

    def set_token(self, token: str) -> None:
        self.credentials_encrypted = crypto.encrypt(token) if token else ""

    @property
    def has_token(self) -> bool:
        return bool(self.credentials_encrypted)


class Settings(models.Model):
    """The division's settings for posts (one row): the standard hashtags added to every draft."""

    standard_hashtags = models.CharField(_("standard hashtags"), max_length=300, blank=True,
                                         default="ห้องสมุด สนส ห้องสมุดกรุงเทพมหานคร",
                                         help_text=_("Without “#”, separated by spaces."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public-relations settings")
        verbose_name_plural = _("public-relations settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="comms_settings_single_row",
                                              violation_error_message=_("There is only one settings row."))]

    def __str__(self):
        return str(_("public-relations settings"))


class PostQuerySet(models.QuerySet):
    def between(self, start, end):
        return self.filter(publish_at__gte=start, publish_at__lt=end)


class Post(TimeStampedModel):
    """A post: a master text sent to one or more channels (each may have its own variant) at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("post status", "draft")
        REVIEW = "review", pgettext_lazy("post status", "in review")
        APPROVED = "approved", pgettext_lazy("post status", "approved")
        SCHEDULED = "scheduled", pgettext_lazy("post status", "scheduled")
        PUBLISHED = "published", pgettext_lazy("post status", "published")
        FAILED = "failed", pgettext_lazy("post status", "failed")

    class Source(models.TextChoices):
        NONE = "", _("written by hand")
        ACTIVITY = "activity", _("activity")
        FESTIVAL = "festival", _("festival month")
        NEW_BOOKS = "new_books", _("new books of the month")
        COLLECTION = "collection", _("e-book collection")
        NEWS = "news", _("news post")

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    hashtags = models.CharField(_("hashtags"), max_length=300, blank=True,
                                help_text=_("Without “#”, separated by spaces."))
    image = models.ImageField(_("image"), upload_to="comms/%Y/%m/", blank=True)
    image_url = models.URLField(_("image address"), max_length=500, blank=True,
                                help_text=_("An image already on the web (e.g. the activity's)."))
    image_alt_th = models.CharField(_("image description (Thai)"), max_length=300, blank=True)
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("branch"),
                               help_text=_("Empty: a post of the whole division."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, db_index=True)
    source = models.CharField(_("drafted from"), max_length=12, choices=Source.choices, blank=True, default="")
    source_id = models.CharField(_("source ID"), max_length=40, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()
    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["publish_at", "pk"]
        permissions = [("approve_post", _("Can review and approve posts of others")),
                       ("view_comms_report", _("Can see the public-relations report"))]
        constraints = [
            models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("author")),
                                   name="comms_post_not_approved_by_author",
                                   violation_error_message=_("The author of a post cannot approve it.")),
            models.CheckConstraint(condition=~Q(status__in=["approved", "scheduled", "published"])
                                   | Q(approved_by__isnull=False),
                                   name="comms_post_approved_has_approver",
                                   violation_error_message=_("An approved post records who approved it.")),
            models.CheckConstraint(condition=~Q(status__in=["scheduled", "published"]) | Q(publish_at__isnull=False),
                                   name="comms_post_scheduled_has_time",
                                   violation_error_message=_("A scheduled post has a time.")),
            models.CheckConstraint(condition=~Q(title=""), name="comms_post_has_title",
                                   violation_error_message=_("A post needs a title.")),
        ]

    def __str__(self):
        return self.title

    @property
    def hashtag_list(self) -> list[str]:
        return [t for t in self.hashtags.split() if t]


class Variant(models.Model):
    """A post as one channel receives it: its own text (or the master's), its publishing state and result.

    ``idempotency_key`` names the one publication: it is sent to the service where the API takes
    one (LINE's ``X-Line-Retry-Key``) and is the website news post's address, so a retry never
    publishes twice; the claim (a conditional UPDATE from ``pending``/``retry`` to ``sending``)
    lets one worker only send it.
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("post status", "waiting")
        SENDING = "sending", pgettext_lazy("post status", "sending")
        RETRY = "retry", pgettext_lazy("post status", "will retry")
        PUBLISHED = "published", pgettext_lazy("post status", "published")
        FAILED = "failed", pgettext_lazy("post status", "failed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants", verbose_name=_("post"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="variants",
                                verbose_name=_("channel"))
    text = models.TextField(_("text for this channel"), blank=True,
                            help_text=_("Empty: the master text with the link and hashtags."))
    state = models.CharField(_("publishing state"), max_length=10, choices=State.choices, default=State.PENDING,
                             db_index=True)
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    external_id = models.CharField(_("ID at the channel"), max_length=120, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("channel variant")
        verbose_name_plural = _("channel variants")
        ordering = ["post", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="comms_variant_one_per_channel",
                                    violation_error_message=_("The post already goes to this channel.")),
            models.CheckConstraint(condition=~Q(state="published") | ~Q(external_id=""),
                                   name="comms_variant_published_has_id",
                                   violation_error_message=_("A published variant records its ID at the channel.")),
        ]

    def __str__(self):
        return f"{self.post} → {self.channel}"


VERB_LABELS = {
    "written": _("written"),
    "changed": _("changed"),
    "submit": _("sent for review"),
    "approve": _("approved"),
    "return": _("returned to the author"),
    "schedule": _("scheduled"),
    "unschedule": _("taken off the schedule"),
    "retry": _("sent again"),
    "published": _("published on every channel"),
    "failed": _("failed"),
    "variant_published": _("published on"),
    "variant_retry": _("will retry on"),
    "variant_failed": _("failed on"),
}


class Action(models.Model):
    """Who did what to a post, and when (written, sent for review, approved, returned, scheduled...)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="actions", verbose_name=_("post"))
    verb = models.CharField(_("action"), max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("post action")
        verbose_name_plural = _("post actions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.post} {self.verb} {self.at:%Y-%m-%d %H:%M}"

    @property
    def verb_label(self) -> str:
        return str(VERB_LABELS.get(self.verb, self.verb))


class Reach(models.Model):
    """What a published variant reached, as last imported (through the channel's API or a CSV export)."""

    class Origin(models.TextChoices):
        API = "api", _("channel API")
        CSV = "csv", _("Meta Business Suite CSV")

    variant = models.OneToOneField(Variant, on_delete=models.CASCADE, related_name="reach",
                                   verbose_name=_("channel variant"))
    reach = models.PositiveIntegerField(_("reach (people)"), default=0)
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    reactions = models.PositiveIntegerField(_("reactions"), default=0)
    comments = models.PositiveIntegerField(_("comments"), default=0)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    origin = models.CharField(_("imported from"), max_length=4, choices=Origin.choices)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("reach")
        verbose_name_plural = _("reach")

    def __str__(self):
        return f"{self.variant}: {self.reach}"

    @property
    def engagement(self) -> int:
        return self.reactions + self.comments + self.shares + self.clicks
