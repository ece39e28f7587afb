"""Domain exceptions with stable codes and translated messages.

Services raise these; they know nothing of HTTP. ``core.api`` turns them into RFC 7807 problem
JSON, ``core.middleware`` into a page message. Subclasses set ``code`` (stable, for machines),
``status`` (for the API adapter) and ``message`` (a gettext string with ``{name}`` placeholders).
"""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal or failure the user can understand and act on."""

    code = "error"
    status = 400
    message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None, **params):
        self.params = params
        self.field = field
        if code:
            self.code = code
        if message is not None:
            self.message = message
        super().__init__(self.text)

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the body (e.g. ``Retry-After`` of a 429)."""
        return {}

    @property
    def text(self) -> str:
        """Return the message in the active language with its parameters filled in."""
        template = str(self.message)
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template

    def as_problem(self) -> dict:
        """Return the RFC 7807 body of this error."""
        body = {
            "type": f"https://bkklib.bangkok.example/problems/{self.code}",
            "title": self.text,
            "status": self.status,
            "code": self.code,
            "detail": self.text,
        }
        if self.field:
            body["field"] = self.field
        return body


class NotFound(DomainError):
    code = "not_found"
    status = 404
    message = _("Not found.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = _("This conflicts with the current state of the record.")


class Refused(DomainError):
    code = "refused"
    status = 422
    message = _("The request was refused.")


class InvalidInput(DomainError):
    code = "invalid"
    status = 400
    message = _("The input is not valid.")


class NotPermitted(DomainError):
    code = "permission_denied"
    status = 403
    message = _("You do not have permission to do this here.")
