"""Channel adapters: the one place that speaks each service's HTTP API (or writes the website's news).

Each adapter turns a ``Message`` into a publication and returns its ID at the channel, or raises
``ChannelError`` with a ``kind`` the publishing service understands:

- ``auth``: the token expired or was revoked (Facebook code 190, LINE/X 401, X v1 code 32) → failed at once;
- ``rate_limit``: too many calls (Facebook codes 4/17/32/613, HTTP 429) → retried, after ``retry_after``;
- ``temporary``: 5xx or the service could not be reached → retried with backoff;
- ``rejected``: the service refuses this content (duplicate, policy, bad image) → failed at once;
- ``unknown``: the request went out but no answer came back; where the API takes no idempotency key
  (Facebook, X) a retry could publish twice, so it fails and staff check the page first.

Tokens travel in the ``Authorization`` header only; no adapter logs a request, and every error text
is cleaned of the token before it is stored (``_clean``).
"""
from __future__ import annotations

import time as _time
from abc import ABC, abstractmethod
from dataclasses import dataclass

import requests

TIMEOUT = (5, 20)  # connect, read (seconds)
DEFAULT_BASE = {
    "facebook": "https://graph.facebook.com/v21.0",
    "line": "https://api.line.me",
    "x": "https://api.x.com",
}
FB_AUTH_CODES = {102, 190}
FB_RATE_CODES = {4, 17, 32, 613, 80001}
FB_TEMPORARY_CODES = {1, 2}


@dataclass(frozen=True)
class Message:
    title: str
    text: str  # the full text for this channel (variant or composed master)
    idempotency_key: str
    link: str = ""
    image_url: str = ""
    image_alt: str = ""


@dataclass(frozen=True)
class Figures:
    reach: int = 0
    impressions: int = 0
    reactions: int = 0
    comments: int = 0
    shares: int = 0
    clicks: int = 0


class ChannelError(Exception):
    def __init__(self, kind: str, detail: str, *, status: int | None = None, retry_after: int | None = None):
        self.kind, self.detail, self.status, self.retry_after = kind, detail, status, retry_after
        super().__init__(f"{kind}: {detail}")


class Adapter(ABC):
    """One social-media service; FacebookAdapter, LineAdapter, XAdapter and WebsiteAdapter implement it."""

    kind = ""
    key_is_honoured = False  # does the service itself refuse a second request with the same key?

    def __init__(self, channel):
        self.channel = channel
        self.base = (channel.base_url or DEFAULT_BASE.get(self.kind, "")).rstrip("/")

    @abstractmethod
    def publish(self, message: Message) -> str:
        """Post ``message`` on the service; return the service's id of the post."""

    @abstractmethod
    def figures(self, external_id: str) -> Figures:
        """Read the reach figures of the post ``external_id`` from the service."""

    # -- HTTP -------------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.channel.token}", "User-Agent": "bkklib-comms/1"}

    def _clean(self, text: str) -> str:
        token = self.channel.token
        if token:
            text = text.replace(token, "***")
        return text[:400]

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {**self._headers(), **kwargs.pop("headers", {})}
        try:
            return requests.request(method, self.base + path, headers=headers, timeout=TIMEOUT, **kwargs)
        except requests.ConnectionError as exc:
            if isinstance(exc, requests.ConnectTimeout) or "Connection refused" in str(exc) \
                    or "Failed to establish" in str(exc):
                raise ChannelError("temporary", self._clean(f"cannot reach {self.base}")) from None
            raise ChannelError(self._unanswered(), self._clean(str(exc))) from None
        except requests.Timeout:
            raise ChannelError(self._unanswered(), "no answer in time") from None

    def _unanswered(self) -> str:
        return "temporary" if self.key_is_honoured else "unknown"

    @staticmethod
    def _json(response: requests.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    @staticmethod
    def _retry_after(response: requests.Response) -> int | None:
        value = response.headers.get("Retry-After")
        if value and value.isdigit():
            return int(value)
        reset = response.headers.get("x-rate-limit-reset")
        if reset and reset.isdigit():
            return max(int(reset) - int(_time.time()), 1)
        return None


class FacebookAdapter(Adapter):
    """Graph API: ``POST /{page-id}/feed`` (text and link) or ``/{page-id}/photos`` (image with caption)."""

    kind = "facebook"

    def publish(self, message: Message) -> str:
        page = self.channel.account_id
        if message.image_url:
            data = {"url": message.image_url, "caption": message.text, "published": "true"}
            if message.image_alt:
                data["alt_text_custom"] = message.image_alt
            body = self._check(self._send("POST", f"/{page}/photos", data=data))
            return str(body.get("post_id") or body.get("id"))
        data = {"message": message.text}
        if message.link:
            data["link"] = message.link
        return str(self._check(self._send("POST", f"/{page}/feed", data=data))["id"])

    def figures(self, external_id: str) -> Figures:
        fields = ("shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),"
                  "insights.metric(post_impressions_unique,post_impressions,post_clicks)")
        body = self._check(self._send("GET", f"/{external_id}", params={"fields": fields}))
        insights = {row.get("name"): (row.get("values") or [{}])[0].get("value", 0)
                    for row in (body.get("insights") or {}).get("data", [])}
        return Figures(reach=int(insights.get("post_impressions_unique", 0)),
                       impressions=int(insights.get("post_impressions", 0)),
                       clicks=int(insights.get("post_clicks", 0)),
                       reactions=int(((body.get("reactions") or {}).get("summary") or {}).get("total_count", 0)),
                       comments=int(((body.get("comments") or {}).get("summary") or {}).get("total_count", 0)),
                       shares=int((body.get("shares") or {}).get("count", 0)))

    def _check(self, response: requests.Response) -> dict:
        body = self._json(response)
        if response.ok and "error" not in body:
            return body
        error = body.get("error") or {}
        code = error.get("code")
        detail = self._clean(f"Facebook {response.status_code} code {code}: {error.get('message', response.reason)}")
        if code in FB_AUTH_CODES or response.status_code == 401:
            raise ChannelError("auth", detail, status=response.status_code)
        if code in FB_RATE_CODES or response.status_code == 429:
            raise ChannelError("rate_limit", detail, status=response.status_code,
                               retry_after=self._retry_after(response))
        if response.status_code >= 500 or code in FB_TEMPORARY_CODES or error.get("is_transient"):
            raise ChannelError("temporary", detail, status=response.status_code)
        raise ChannelError("rejected", detail, status=response.status_code)


class LineAdapter(Adapter):
    """Messaging API: ``POST /v2/bot/message/broadcast`` (every friend) or ``/narrowcast`` (an audience).

    The variant's idempotency key goes in ``X-Line-Retry-Key``: LINE answers a repeat with 409 and
    the first request's ID, so a retry after a lost answer never sends the message twice.
    """

    kind = "line"
    key_is_honoured = True

    def publish(self, message: Message) -> str:
        messages = [{"type": "text", "text": message.text}]
        if message.image_url:
            messages.append({"type": "image", "originalContentUrl": message.image_url,
                             "previewImageUrl": message.image_url})
        body: dict = {"messages": messages}
        if self.channel.account_id:
            path = "/v2/bot/message/narrowcast"
            body["recipient"] = {"type": "audience", "audienceGroupId": int(self.channel.account_id)}
        else:
            path = "/v2/bot/message/broadcast"
        response = self._send("POST", path, json=body, headers={"X-Line-Retry-Key": message.idempotency_key})
        if response.status_code == 409 and response.headers.get("x-line-accepted-request-id"):
            return response.headers["x-line-accepted-request-id"]
        self._check(response)
        return response.headers.get("x-line-request-id") or message.idempotency_key

    def figures(self, external_id: str) -> Figures:
        response = self._send("GET", "/v2/bot/insight/message/event", params={"requestId": external_id})
        overview = self._check(response).get("overview") or {}
        return Figures(reach=int(overview.get("uniqueImpression") or 0), impressions=int(overview.get("delivered") or 0),
                       clicks=int(overview.get("uniqueClick") or 0))

    def _check(self, response: requests.Response) -> dict:
        body = self._json(response)
        if response.ok:
            return body
        detail = self._clean(f"LINE {response.status_code}: {body.get('message', response.reason)}")
        if response.status_code in (401, 403):
            raise ChannelError("auth", detail, status=response.status_code)
        if response.status_code == 429:
            if "monthly limit" in str(body.get("message", "")).lower():
                raise ChannelError("rejected", detail, status=429)
            raise ChannelError("rate_limit", detail, status=429, retry_after=self._retry_after(response))
        if response.status_code >= 500:
            raise ChannelError("temporary", detail, status=response.status_code)
        raise ChannelError("rejected", detail, status=response.status_code)


class XAdapter(Adapter):
    """X API v2: ``POST /2/tweets`` with the user's OAuth 2 token; figures from ``public_metrics``."""

    kind = "x"

    def publish(self, message: Message) -> str:
        response = self._send("POST", "/2/tweets", json={"text": message.text})
        return str(self._check(response)["data"]["id"])

    def figures(self, external_id: str) -> Figures:
        body = self._check(self._send("GET", f"/2/tweets/{external_id}", params={"tweet.fields": "public_metrics"}))
        m = (body.get("data") or {}).get("public_metrics") or {}
        # X reports no unique reach: impressions stand for it.
        return Figures(reach=int(m.get("impression_count", 0)), impressions=int(m.get("impression_count", 0)),
                       reactions=int(m.get("like_count", 0)), comments=int(m.get("reply_count", 0)),
                       shares=int(m.get("retweet_count", 0)) + int(m.get("quote_count", 0)))

    def _check(self, response: requests.Response) -> dict:
        body = self._json(response)
        if response.ok and "data" in body:
            return body
        v1 = {e.get("code") for e in body.get("errors", []) if isinstance(e, dict)}
        text = body.get("detail") or body.get("title") or "; ".join(
            str(e.get("message", "")) for e in body.get("errors", []) if isinstance(e, dict)) or response.reason
        detail = self._clean(f"X {response.status_code}: {text}")
        if response.status_code == 401 or v1 & {32, 89}:
            raise ChannelError("auth", detail, status=response.status_code)
        if response.status_code == 429 or 88 in v1:
            raise ChannelError("rate_limit", detail, status=response.status_code,
                               retry_after=self._retry_after(response))
        if response.status_code >= 500:
            raise ChannelError("temporary", detail, status=response.status_code)
        raise ChannelError("rejected", detail, status=response.status_code)


class WebsiteAdapter(Adapter):
    """The website's own news (``opac.NewsPost``): written and published through opac's services.

    The news post's address is ``pr-`` and the idempotency key, so a second attempt finds the post
    the first one made instead of writing another.
    """

    kind = "website"
    key_is_honoured = True

    def __init__(self, channel, *, post=None):
        super().__init__(channel)
        self.post = post

    def publish(self, message: Message) -> str:
        from django.core.files.base import ContentFile

        from bkklib.core.exceptions import DomainError
        from bkklib.opac import services as news_services
        from bkklib.opac.models import NewsPost

        post = self.post
        slug = f"pr-{message.idempotency_key.replace('-', '')[:20]}"
        news = NewsPost.objects.filter(slug=slug).first()
        try:
            if news is None:
                news = NewsPost(slug=slug, title_th=message.title[:200], body_th=message.text,
                                hashtags=news_services.normalise_hashtags(" ".join(post.hashtag_list)) if post else "",
                                branch_id=post.branch_id if post else None, author_id=post.author_id if post else None,
                                image_alt_th=message.image_alt[:200])
                if post is not None and post.image:
                    post.image.open("rb")
                    news.image.save(post.image.name.rsplit("/", 1)[-1], ContentFile(post.image.read()), save=False)
                    post.image.close()
                news.save()
            if news.status != NewsPost.Status.PUBLISHED:
                news_services.publish(news, at=post.publish_at if post else None)
        except DomainError as exc:
            raise ChannelError("rejected", exc.text) from None
        return slug

    def figures(self, external_id: str) -> Figures:
        return Figures()


ADAPTERS = {"facebook": FacebookAdapter, "line": LineAdapter, "x": XAdapter, "website": WebsiteAdapter}


def adapter_for(channel, *, post=None) -> Adapter:
    if channel.kind == "website":
        return WebsiteAdapter(channel, post=post)
    return ADAPTERS[channel.kind](channel)
