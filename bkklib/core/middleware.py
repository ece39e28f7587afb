"""Request middleware of core: page messages for DomainError, Thai-first locale, API guards and problems."""
import logging

from django.conf import settings
from django.contrib import messages
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .exceptions import DomainError

logger = logging.getLogger("django.request")


class DomainErrorMiddleware:
    """Show a DomainError raised by a view as a page message instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if request.htmx:
            response = render(request, "core/partials/error.html", {"error": exception}, status=exception.status)
        else:
            messages.error(request, exception.text)
            back = request.headers.get("referer")
            if request.method == "POST" and back:
                return HttpResponseRedirect(back)
            response = render(request, "core/error.html", {"error": exception}, status=exception.status)
        for name, value in exception.headers.items():
            response[name] = value
        return response


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Show pages in Thai unless the visitor chose English with the language switch.

    Many Thai phones and browsers are set to English, so a browser's Accept-Language would turn
    the site English for most Thai readers; pages follow only the visitor's explicit choice
    (the language cookie). The API keeps Django's negotiation: programs say what they want in
    Accept-Language (docs/api/README.md).
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class QueryStringGuardMiddleware:
    """Refuse an API request carrying a NUL byte in its query string or JSON body with 400 before any view.

    No API parameter or body field may hold NUL (PostgreSQL text cannot store it, and a view that
    passed one to the database, e.g. as a branch code to look up, would fail with 500: schemathesis
    found this for bodies in issue 30): the answer is problem JSON naming the parameter or the
    body's top-level field, Thai unless the client asked for English (this runs after the locale
    middleware). Pages keep their own handling (the OPAC search strips control characters and
    answers a friendly page).
    """

    MAX_BODY = 2 * 1024 * 1024  # larger bodies (MARC uploads) are left to their views

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        bad = next((key for key, values in request.GET.lists()
                    if "\x00" in key or any("\x00" in value for value in values)), None)
        if bad is None:
            bad = self._bad_body_field(request)
        if bad is None:
            return self.get_response(request)
        name = bad.replace("\x00", "\\x00")
        from .api import PROBLEM_CONTENT_TYPE, PROBLEM_TITLES, problem

        body = problem(400, "invalid", PROBLEM_TITLES["invalid"], detail=_("See the errors of each field."),
                       errors={name: [_("Null characters are not allowed.")]})
        return JsonResponse(body, status=400, content_type=PROBLEM_CONTENT_TYPE,
                            json_dumps_params={"ensure_ascii": False})

    def _bad_body_field(self, request) -> str | None:
        """The top-level field of a JSON or form body whose name or value holds NUL anywhere inside (or None)."""
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        if int(request.META.get("CONTENT_LENGTH") or 0) > self.MAX_BODY:
            return None
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            from django.http import QueryDict

            form = request.POST if request.method == "POST" else (
                QueryDict(request.body) if request.content_type == "application/x-www-form-urlencoded" else QueryDict())
            return next((key for key, values in form.lists()
                         if "\x00" in key or any("\x00" in value for value in values)), None)
        if "json" not in request.content_type or b"\\u0000" not in request.body:
            return None
        import json

        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # DRF answers parse_error

        def has_nul(value) -> bool:
            if isinstance(value, str):
                return "\x00" in value
            if isinstance(value, dict):
                return any(has_nul(k) or has_nul(v) for k, v in value.items())
            if isinstance(value, list):
                return any(has_nul(v) for v in value)
            return False

        if isinstance(data, dict):
            return next((key for key, value in data.items() if has_nul(key) or has_nul(value)), None)
        return "body" if has_nul(data) else None


class ApiProblemMiddleware:
    """Under /api/, answer what DRF never sees as problem JSON too: an unknown URL (404) and a crash (500).

    DRF renders the refusals of its views; a path that matches no view gets Django's 404 page and
    an exception escaping a view Django's 500 page, both HTML. API clients get problem JSON in the
    request's language instead; the crash is still logged and signalled as Django would.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith("/api/v1/") and response.status_code == 404
                and not response.get("Content-Type", "").startswith(("application/problem+json", "application/json"))):
            return self._problem(404, "not_found")
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/v1/") or isinstance(exception, DomainError):
            return None
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        if isinstance(exception, Http404 | PermissionDenied):
            return None  # Django's own answers (then turned into problem JSON above for 404)
        if isinstance(exception, OperationalError | InterfaceError):  # database unreachable for a moment
            logger.error("Service Unavailable (database): %s", request.path, exc_info=exception)
            response = self._problem(503, "unavailable")
            response["Retry-After"] = "30"
            return response
        logger.error("Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request})
        got_request_exception.send(sender=None, request=request)
        return self._problem(500, "server_error")

    @staticmethod
    def _problem(status: int, code: str):
        from .api import PROBLEM_CONTENT_TYPE, PROBLEM_TITLES, problem

        title = PROBLEM_TITLES.get(code, PROBLEM_TITLES["error"])
        detail = (_("No API resource has this address: see /api/docs/.") if status == 404
                  else _("The database cannot be reached for a moment. Try again shortly.")
                  if status == 503 else _("Something went wrong on the server. The fault is logged; try again later."))
        return JsonResponse(problem(status, code, title, detail=detail), status=status,
                            content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False})


class CspStyleExceptions:
    """Let the two pages of libraries we do not write keep their inline styles under the CSP.

    Django's admin (a ``<style>`` in its change lists) and Swagger UI (/api/docs/: a ``<style>``
    block) need ``style-src 'unsafe-inline'``; every other page has no inline style. Scripts stay
    ``'self'`` everywhere (settings.CONTENT_SECURITY_POLICY). Listed right after django-csp's
    middleware so that its answer is marked before django-csp writes the header.
    """

    PREFIXES = ("/admin/", "/api/docs/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.PREFIXES):
            # Replaced, not added to: next to the 500 page's hash, browsers ignore 'unsafe-inline'.
            response._csp_replace = {"style-src": ["'self'", "'unsafe-inline'"]}
        return response


class IdleSessionExpiry:
    """End a session after a while without a request (shared computers in a public library).

    A signed-in staff member's session ends after ``settings.STAFF_IDLE_MINUTES`` idle, any other
    session (a patron signed into the public site) after ``settings.PATRON_IDLE_MINUTES``; the
    cookie itself lasts until the browser closes (SESSION_EXPIRE_AT_BROWSER_CLOSE). The time of
    the last request is written at most once a minute, so browsing does not write a session row
    on every page. The next page says why the visitor was signed out.
    """

    KEY = "_bkklib_seen"
    WRITE_EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            seen = session.get(self.KEY)
            staff = request.user.is_authenticated
            minutes = settings.STAFF_IDLE_MINUTES if staff else settings.PATRON_IDLE_MINUTES
            if seen is not None and now - seen > minutes * 60:
                self._expire(request, staff, minutes)
            elif seen is None or now - seen >= self.WRITE_EVERY:
                session[self.KEY] = now
        return self.get_response(request)

    @staticmethod
    def _expire(request, staff: bool, minutes: int) -> None:
        from django.contrib.auth import logout

        logout(request)  # flushes the session (a patron's sign-in with it) and makes the user anonymous
        if request.path.startswith("/api/"):
            return
        messages.info(request, _("You were signed out after {minutes} minutes without use, to protect your account "
                                 "on a shared computer. Please sign in again.").format(minutes=minutes))
