"""Turn a DomainError escaping a page view into a message the user can read."""
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from .exceptions import DomainError


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
            return render(request, "core/partials/error.html", {"error": exception}, status=exception.status)
        messages.error(request, exception.text)
        back = request.headers.get("referer")
        if request.method == "POST" and back:
            return HttpResponseRedirect(back)
        return render(request, "core/error.html", {"error": exception}, status=exception.status)


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Show pages in Thai unless the visitor chose English with the language switch.

    Many Thai phones and browsers are set to English, so a browser's Accept-Language would turn
    the site English for most Thai readers; pages follow only the visitor's explicit choice
    (the language cookie). The API keeps Django's negotiation: programs say what they want in
    Accept-Language (ARCHITECTURE §5).
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
