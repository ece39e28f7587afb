"""The one notification service: a templated message to a person through pluggable channels.

Every attempt is logged in ``NotificationAttempt`` (sent, failed or skipped), whatever the channel.
Channels: ``email`` (Django's email backend), ``line`` (LINE Messaging API push) and ``sms``
(an HTTP gateway). Apps call ``notify()``; a failing channel never raises to the caller.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .exceptions import NotFound
from .models import MessageTemplate, NotificationAttempt

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Where a person can be reached; empty strings mean "not on this channel"."""

    name: str = ""
    email: str = ""
    phone: str = ""
    line_user_id: str = ""
    language: str = "th"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    # (filename, content, MIME type): files sent with the message by the channels that can (email),
    # e.g. the .ics of a space booking's confirmation.
    attachments: tuple[tuple[str, bytes, str], ...] = ()


class ChannelError(Exception):
    """Delivery through a channel failed (the reason is logged with the attempt)."""


class Channel:
    """A way to deliver a message; subclasses implement ``address`` and ``deliver``."""

    name = ""

    def address(self, recipient: Recipient) -> str:
        raise NotImplementedError  # interface method: each channel says where it delivers

    def deliver(self, address: str, message: Message) -> None:
        raise NotImplementedError  # interface method


class EmailChannel(Channel):
    name = "email"

    def address(self, recipient):
        return recipient.email

    def deliver(self, address, message):
        try:
            email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [address])
            for filename, content, mimetype in message.attachments:
                email.attach(filename, content, mimetype)
            email.send()
        except Exception as exc:  # SMTP errors come in many classes; all mean "not delivered"
            raise ChannelError(f"{type(exc).__name__}: {exc}") from exc


def _post_json(url: str, payload: dict, headers: dict[str, str], timeout: float = 10) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL from settings)
            response.read()
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}: {exc.read()[:500].decode(errors='replace')}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(str(exc)) from exc


class LineChannel(Channel):
    """LINE Messaging API push message: POST /v2/bot/message/push with the channel access token."""

    name = "line"
    max_text = 5000  # LINE's limit for one text message

    def address(self, recipient):
        return recipient.line_user_id

    def deliver(self, address, message):
        token = settings.LINE_CHANNEL_ACCESS_TOKEN
        if not token:
            raise ChannelError("LINE_CHANNEL_ACCESS_TOKEN is not set")
        text = f"{message.subject}\n\n{message.body}" if message.subject else message.body
        _post_json(
            f"{settings.LINE_API_BASE.rstrip('/')}/v2/bot/message/push",
            {"to": address, "messages": [{"type": "text", "text": text[: self.max_text]}]},
            {"Authorization": f"Bearer {token}"},
        )


class SmsChannel(Channel):
    """SMS through an HTTP gateway (``SMS_GATEWAY_URL`` receives ``{"to", "text"}`` as JSON)."""

    name = "sms"

    def address(self, recipient):
        return recipient.phone

    def deliver(self, address, message):
        if not settings.SMS_GATEWAY_URL:
            raise ChannelError("SMS_GATEWAY_URL is not set")
        _post_json(settings.SMS_GATEWAY_URL, {"to": address, "text": message.body}, {})


CHANNELS: dict[str, Channel] = {c.name: c for c in (EmailChannel(), LineChannel(), SmsChannel())}


def render_message(code: str, context: dict, *, language: str = "th") -> Message:
    """Render the message template ``code`` in ``language`` (Thai when no English text exists)."""
    try:
        template = MessageTemplate.objects.get(code=code)
    except MessageTemplate.DoesNotExist:
        raise NotFound(code="template_missing", message=_("No message template “{code_name}”."), code_name=code) from None
    english = language.startswith("en") and template.body_en
    subject = template.subject_en if english and template.subject_en else template.subject_th
    body = template.body_en if english else template.body_th
    with translation.override("en" if english else "th"):
        ctx = Context(context, autoescape=False)
        return Message(Template(subject).render(ctx).strip(), Template(body).render(ctx).strip())


def send(recipient: Recipient, message: Message, *, channels=("email",), template_code="", about="") -> list:
    """Deliver ``message`` through each channel in ``channels``; log and return every attempt."""
    attempts = []
    for name in channels:
        channel = CHANNELS[name]
        address = channel.address(recipient)
        attempt = NotificationAttempt(
            channel=name, template_code=template_code, recipient=address or recipient.name,
            subject=message.subject[:200], body=message.body, about=about,
        )
        if not address:
            attempt.status = NotificationAttempt.Status.SKIPPED
        else:
            try:
                channel.deliver(address, message)
                attempt.status = NotificationAttempt.Status.SENT
            except ChannelError as exc:
                log.warning("notification via %s to %s failed: %s", name, address, exc)
                attempt.status = NotificationAttempt.Status.FAILED
                attempt.error = str(exc)
        attempt.save()
        attempts.append(attempt)
    return attempts


def notify(recipient: Recipient, code: str, context: dict, *, channels=("email",), about: str = "",
           attachments: tuple[tuple[str, bytes, str], ...] = ()) -> list:
    """Render template ``code`` for ``recipient`` and send it through ``channels`` (with ``attachments``
    where the channel carries files); return attempts."""
    message = render_message(code, context, language=recipient.language)
    if attachments:
        message = Message(message.subject, message.body, tuple(attachments))
    return send(recipient, message, channels=channels, template_code=code, about=about)


def ensure_template(code: str, *, subject_th: str, body_th: str, subject_en: str = "", body_en: str = "",
                    description: str = "") -> MessageTemplate:
    """Create the default text of a template unless an admin already has one (used by demo/migrations)."""
    template, _created = MessageTemplate.objects.get_or_create(
        code=code,
        defaults={"subject_th": subject_th, "body_th": body_th, "subject_en": subject_en, "body_en": body_en,
                  "description": description},
    )
    return template
