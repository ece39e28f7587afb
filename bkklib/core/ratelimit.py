"""Rate limits: the one counter of "how often from here" for log-in, PIN reset, registration, search
and every public form (docs/architecture.md, Cross-cutting mechanisms).

A limit is a fixed window counted in the cache (local memory in the embedded mode, Redis in
production, so every web node shares one count). The key is the caller's real address through
``core.clients.client_ip``, which trusts ``X-Forwarded-For`` only from ``BKKLIB_TRUSTED_PROXIES``.
Going over the limit raises ``RateLimited`` (HTTP 429): a Thai page through
``DomainErrorMiddleware``, problem JSON in the API.
"""
import functools
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .clients import client_ip
from .exceptions import DomainError


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    message = _("Too many attempts from this connection. Please wait {minutes} minutes and try again.")

    @property
    def headers(self) -> dict[str, str]:
        # The window is fixed and its start is not kept: the whole window is the honest upper bound.
        return {"Retry-After": str(self.params.get("seconds", 60))}


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``window`` seconds for one key of one ``scope``."""

    scope: str
    count: int
    window: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.window // 60))


def hit(limit: Limit, key: str) -> int:
    """Count one hit of ``key`` against ``limit``'s current window and return the count so far."""
    cache_key = f"ratelimit:{limit.scope}:{key}"
    cache.add(cache_key, 0, limit.window)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, limit.window)
        return 1


def check(limit: Limit, key: str) -> None:
    """Count one hit of ``key``; raise RateLimited when it goes over ``limit``."""
    if hit(limit, key) > limit.count:
        raise RateLimited(minutes=limit.minutes, seconds=limit.window)


def check_request(limit: Limit, request, *, extra: str = "") -> None:
    """Count one hit of the request's client address (and ``extra``, e.g. a card number)."""
    key = client_ip(request) or "unknown"
    check(limit, f"{key}|{extra}" if extra else key)


def reset(limit: Limit, key: str) -> None:
    """Forget ``key``'s count (after a successful log-in, in tests)."""
    cache.delete(f"ratelimit:{limit.scope}:{key}")


def rate_limited(limit: Limit, *, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view: each request with one of ``methods`` counts against ``limit`` per client address."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                check_request(limit, request)
            return view(request, *args, **kwargs)
        return wrapper
    return decorator
