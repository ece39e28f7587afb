"""Core data: the staff user, shared model mixins, notification log and access log."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff or volunteer account of the back office (patrons sign in with card and PIN)."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="th"
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        permissions = [("view_audit_history", _("Can view audit history of every record"))]


class TimeStampedModel(models.Model):
    """Base mixin: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class MessageTemplate(TimeStampedModel):
    """An editable message (subject and body in Thai and English) sent through notifications.

    Bodies are Django template text; ``code`` is what the sending app asks for
    (``circulation.overdue_1``, ``network.stale_reminder``...).
    """

    code = models.SlugField(_("code"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    subject_th = models.CharField(_("subject (Thai)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_th = models.TextField(_("body (Thai)"))
    body_en = models.TextField(_("body (English)"), blank=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code"]

    def __str__(self):
        return self.code


class NotificationAttempt(models.Model):
    """One attempt to deliver one message through one channel, successful or not."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped (no address for this channel)")

    channel = models.CharField(_("channel"), max_length=16)
    template_code = models.CharField(_("template"), max_length=80, blank=True)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    # What the message is about (a loan, a branch...) as "app_label.model:pk", kept loose so
    # that any app can log notices without core knowing its models.
    about = models.CharField(_("about"), max_length=120, blank=True, db_index=True)
    attempted_at = models.DateTimeField(_("attempted at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification attempt")
        verbose_name_plural = _("notification attempts")
        ordering = ["-attempted_at"]

    def __str__(self):
        return f"{self.channel} → {self.recipient}: {self.status}"


class AccessLog(models.Model):
    """A staff member looked at personal data (PDPA: record who accessed it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.CharField(_("whose data"), max_length=120, db_index=True)  # "circulation.patron:42"
    action = models.CharField(_("action"), max_length=32, default="view")
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    path = models.CharField(_("page or API path"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.action} {self.subject}"


class ChangeStamp(models.Model):
    """The current stamp of a topic of per-process caches (``bkklib.core.stamps``)."""

    topic = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("change stamp")
        verbose_name_plural = _("change stamps")

    def __str__(self):
        return f"{self.topic}: {self.token}"
