"""Turn a DomainError escaping a page view into a message the user can read."""
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render

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
