"""Who is on the other end of a request: the client address used for rate limits and logs.

``X-Forwarded-For`` is written by whoever sends the request, so it is only believed as far as
the operator says proxies of their own stand in front of the application:
``BKKLIB_TRUSTED_PROXIES`` (``settings.BKKLIB["TRUSTED_PROXIES"]``) is how many. With 0 (the
default) the address is ``REMOTE_ADDR``. With N, each trusted proxy appended the address it saw,
so the client is the N-th address from the right; what a client wrote to the left of that is
ignored. A request carrying fewer addresses than N did not pass through all the proxies: its
``REMOTE_ADDR`` is used.
"""
from django.conf import settings


def trusted_proxies() -> int:
    """Return how many proxies of the operator's own stand in front of the application."""
    return max(0, int(settings.BKKLIB.get("TRUSTED_PROXIES", 0)))


def client_ip(request) -> str:
    """Return the client address of ``request`` (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = trusted_proxies()
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]
