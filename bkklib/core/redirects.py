"""Where to send someone after a form: the one check of a ``next`` target before following it.

A ``next`` parameter comes from the request, so anyone can write a link that carries
``next=https://evil.example/``. Every view that follows a target from the request goes through
``safe_next``: only paths on this site (or absolute URLs to this very host, with HTTPS kept when
the request was secure) are followed; anything else falls back to the view's own page.
"""
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_target(request, target: str) -> bool:
    """Return True when ``target`` stays on this site (Django's ``url_has_allowed_host_and_scheme``)."""
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def safe_next(request, fallback, *args, param: str = "next", **kwargs) -> str:
    """Return the request's ``param`` target (POST first, then GET) when safe, else ``fallback``.

    ``fallback`` is a URL, a URL name or a model, as for ``redirect()``; ``args``/``kwargs`` go
    to its reversal.
    """
    target = request.POST.get(param) or request.GET.get(param) or ""
    if is_safe_target(request, target):
        return target
    return resolve_url(fallback, *args, **kwargs)
