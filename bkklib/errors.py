"""Error pages in the reader's language, in the style of the part of the site they were reading.

Django's own handlers show a bare English "403 Forbidden" when a template is missing and know
nothing of the two looks of the site; these render ``400.html``, ``403.html``, ``404.html``,
``403_csrf.html`` and ``500.html`` on the staff layout for /staff/ and /admin/ addresses and on the
public layout elsewhere. The language is the one ``ThaiFirstLocaleMiddleware`` activated (Thai
unless the visitor chose English).
"""
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

STAFF_PREFIXES = ("/staff/", "/admin/")


def is_staff_path(path: str) -> bool:
    """Return whether ``path`` belongs to the back office (staff style) rather than the public site."""
    return path.startswith(STAFF_PREFIXES)


def _render(request, template_name: str, status: int) -> HttpResponse:
    staff = is_staff_path(request.path)
    context = {
        "error_base": "staff/base.html" if staff else "opac/base.html",
        "is_staff_page": staff,
        "status": status,
        "request_path": request.path,
    }
    body = loader.get_template(template_name).render(context, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    """Answer a malformed request (400)."""
    return _render(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    """Answer a refusal (403): PermissionDenied raised anywhere in a page view."""
    return _render(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    """Answer an address that leads nowhere (404)."""
    return _render(request, "404.html", 404)


def csrf_failure(request, reason=""):
    """Answer a form sent without a valid CSRF token (an expired page, usually), as a 403."""
    return _render(request, "403_csrf.html", 403)


RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exception: BaseException | None) -> bool:
    """Return whether ``exception`` means the database cannot be reached (restarting, down, full)."""
    return isinstance(exception, OperationalError | InterfaceError)


def service_unavailable(request) -> HttpResponse:
    """Answer 503 with a Retry-After: the database is unreachable for a moment (docs/admin/faults.md).

    Self-contained like the 500 page: no database, no context processors.
    """
    body = loader.get_template("503.html").render({"is_staff_page": is_staff_path(request.path)})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request):
    """Answer a crash (500) without touching the database or the context processors.

    The page renders from a plain context (no ``request``), so a broken database or a failing
    context processor cannot turn the error page into a second error. When the crash is the
    database being unreachable (a restart, a failover), the answer is the 503 page instead: the
    reader is told to try again in a moment, nothing was saved.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    body = loader.get_template("500.html").render({"is_staff_page": is_staff_path(request.path)})
    return HttpResponseServerError(body)
