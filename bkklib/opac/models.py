"""Data the public website owns: news posts written by staff, their images, editable info pages."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel


def _localized(obj, field: str) -> str:
    """Return ``<field>_en`` when the active language is English and it is filled, else ``<field>_th``."""
    if (translation.get_language() or "th").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_th")


class NewsPostQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Return the posts the public may read at ``now``: published, and not scheduled for later."""
        return self.filter(status=NewsPost.Status.PUBLISHED, publish_at__lte=now or timezone.now())


class NewsPost(TimeStampedModel):
    """A news post written by PR staff: Thai (and optionally English) title and body, hashtags, images.

    A post is a draft until it is published; a published post whose ``publish_at`` lies in the
    future is scheduled and appears on the site from that moment on.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(_("web address (slug)"), max_length=80, unique=True)
    title_th = models.CharField(pgettext_lazy("news post", "title (Thai)"), max_length=200)
    title_en = models.CharField(pgettext_lazy("news post", "title (English)"), max_length=200, blank=True)
    body_th = models.TextField(_("text (Thai)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    # Stored without "#", separated by single spaces, in the order the writer gave them.
    hashtags = models.CharField(_("hashtags"), max_length=300, blank=True)
    branch = models.ForeignKey(
        "network.Branch", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("library"), help_text=_("Leave empty for news of the whole network."),
    )
    image = models.ImageField(_("main image"), upload_to="news/%Y/%m/", blank=True)
    image_alt_th = models.CharField(_("image description (Thai)"), max_length=200, blank=True)
    image_alt_en = models.CharField(_("image description (English)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("author"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"], name="opac_newspost_visible")]
        permissions = [("publish_newspost", _("Can publish and schedule news posts"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(publish_at__isnull=False),
                name="opac_newspost_published_has_date",
                violation_error_message=_("A published post needs a publication date and time."),
            ),
        ]

    def __str__(self):
        return self.title_th

    def get_absolute_url(self):
        return reverse("opac:news-detail", args=[self.slug])

    @property
    def title(self) -> str:
        return _localized(self, "title")

    @property
    def body(self) -> str:
        return _localized(self, "body")

    @property
    def image_alt(self) -> str:
        return _localized(self, "image_alt")

    @property
    def shows_english(self) -> bool:
        """True when the page shows the English text (so the page marks Thai fallbacks with lang)."""
        return (translation.get_language() or "th").startswith("en") and bool(self.title_en)

    @property
    def tag_list(self) -> list[str]:
        return self.hashtags.split() if self.hashtags else []

    def is_visible(self, now=None) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and \
            self.publish_at <= (now or timezone.now())

    def is_scheduled(self, now=None) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and \
            self.publish_at > (now or timezone.now())

    @property
    def summary(self) -> str:
        """Return the first paragraph of the body, cut to about 200 characters."""
        first = self.body.strip().split("\n\n", 1)[0].strip()
        return first if len(first) <= 200 else first[:199].rstrip() + "…"


class NewsImage(models.Model):
    """A further image of a news post (a gallery under the text), with its description for screen readers."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="news/%Y/%m/")
    alt_th = models.CharField(_("image description (Thai)"), max_length=200)
    alt_en = models.CharField(_("image description (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order of images", "position"), default=0)

    class Meta:
        verbose_name = _("news image")
        verbose_name_plural = _("news images")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_th

    @property
    def alt(self) -> str:
        return _localized(self, "alt")


class InfoPage(TimeStampedModel):
    """An information page of the site (about, contact, membership rules and fees), edited by staff.

    The text is data, not code: facts such as fees change by decision of the division.
    """

    class Slug(models.TextChoices):
        ABOUT = "about", _("About the libraries")
        CONTACT = "contact", _("Contact")
        MEMBERSHIP = "membership", _("Membership rules and fees")

    slug = models.CharField(_("page"), max_length=20, choices=Slug.choices, unique=True)
    title_th = models.CharField(pgettext_lazy("news post", "title (Thai)"), max_length=200)
    title_en = models.CharField(pgettext_lazy("news post", "title (English)"), max_length=200, blank=True)
    body_th = models.TextField(_("text (Thai)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["slug"]

    def __str__(self):
        return self.title_th

    def get_absolute_url(self):
        return reverse(f"opac:{self.slug}")

    @property
    def title(self) -> str:
        return _localized(self, "title")

    @property
    def body(self) -> str:
        return _localized(self, "body")

    @property
    def shows_english(self) -> bool:
        return (translation.get_language() or "th").startswith("en") and bool(self.body_en)


class PatronLogin(models.Model):
    """A patron's sign-in state on the public site: failed PINs, lockout, and a pending PIN reset code.

    The PIN itself is circulation's (``Patron.pin_hash``); this row holds what protects it.
    The reset code is stored hashed, like a password, and expires.
    """

    patron = models.OneToOneField("circulation.Patron", on_delete=models.CASCADE, related_name="web_login",
                                  verbose_name=_("patron"))
    failed_attempts = models.PositiveSmallIntegerField(_("consecutive wrong PINs"), default=0)
    last_failed_at = models.DateTimeField(_("last wrong PIN at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("last signed in at"), null=True, blank=True)
    reset_code_hash = models.CharField(_("PIN reset code (hashed)"), max_length=128, blank=True)
    reset_code_expires_at = models.DateTimeField(_("reset code expires at"), null=True, blank=True)
    reset_tries = models.PositiveSmallIntegerField(_("wrong reset codes"), default=0)

    class Meta:
        verbose_name = _("patron sign-in")
        verbose_name_plural = _("patron sign-ins")

    def __str__(self):
        return str(self.patron_id)
