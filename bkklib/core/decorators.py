"""The one way a staff page says who may open it: ``@perm_required("app.codename")``.

Anyone not signed in goes to the staff log-in (``settings.LOGIN_URL``) and comes back; a signed-in
user without the permission gets the Thai 403 page. Branch scoping is not a decorator's business:
views narrow their rows with ``bkklib.network.access``.
"""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def perm_required(*perms: str):
    """Require a signed-in user holding every one of ``perms`` (403 otherwise)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
