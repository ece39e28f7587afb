"""API conventions shared by every app: pagination, query parameters, permission order, problem answers.

Every refusal is RFC 7807 problem JSON with a stable ``code`` and a ``title``/``detail`` in the
request's language (Thai unless ``Accept-Language`` asks for English). DRF's own refusals get
their title from ``PROBLEM_TITLES`` below and their field messages from the Thai catalogue of
``core`` (``drf_messages``), which takes precedence over DRF's partial one (settings.LOCALE_PATHS).
"""
import django_filters
import django_filters.rest_framework
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions as drf_exceptions
from rest_framework import permissions, serializers
from rest_framework.pagination import PageNumberPagination

from .exceptions import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

# One title per refusal code of DRF (the detail says more). Stable codes, translated titles.
PROBLEM_TITLES = {
    "invalid": gettext_lazy("The input is not valid."),
    "parse_error": gettext_lazy("The request body could not be read."),
    "not_authenticated": gettext_lazy("Sign in first."),
    "authentication_failed": gettext_lazy("The sign-in details are not valid."),
    "permission_denied": gettext_lazy("You do not have permission to do this."),
    "not_found": gettext_lazy("Not found."),
    "method_not_allowed": gettext_lazy("This method is not allowed here."),
    "not_acceptable": gettext_lazy("The requested response format is not available."),
    "unsupported_media_type": gettext_lazy("The format of the request body is not supported."),
    "throttled": gettext_lazy("Too many requests: try again later."),
    "server_error": gettext_lazy("A server error occurred."),
    "unavailable": gettext_lazy("The service is unavailable for a moment."),
    "error": gettext_lazy("The request could not be completed."),
}
# DRF details that are English whatever the language (they embed a parser's or a clock's words).
PROBLEM_DETAILS = {
    "parse_error": gettext_lazy("Send the body as valid JSON (Content-Type: application/json)."),
    "throttled": gettext_lazy("Wait a moment before sending more requests."),
}


def problem(status: int, code: str, title: str, detail=None, **extra) -> dict:
    """Return an RFC 7807 problem body."""
    body = {
        "type": f"https://bkklib.bangkok.example/problems/{code}",
        "title": str(title),
        "status": status,
        "code": code,
    }
    if detail is not None:
        body["detail"] = str(detail)
    body.update(extra)
    return body


def invalid_parameter(name: str, message) -> drf_exceptions.ValidationError:
    """Return the 400 refusal of one bad query parameter (raise it)."""
    return drf_exceptions.ValidationError({name: [str(message)]})


def query_params(request, serializer_class) -> dict:
    """Validate ``request``'s query parameters with ``serializer_class``; 400 naming each bad one."""
    data = serializer_class(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data


class QueryBoolean(forms.NullBooleanField):
    """A yes/no query parameter: true/false, 1/0, yes/no (any case) or absent; anything else is a 400."""

    widget = forms.TextInput
    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise DjangoValidationError(_("Give true or false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's boolean, strict: ``?stale=maybe`` is a 400, not "no filter"."""

    field_class = QueryBoolean


class FilterSet(django_filters.rest_framework.FilterSet):
    """The base of every API filter set: strict booleans (dates, numbers and choices already are)."""

    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
        models.NullBooleanField: {"filter_class": BooleanFilter},
    }


class FilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """django-filter for every list: filter sets made from ``filterset_fields`` are strict too."""

    filterset_base = FilterSet


class QueryParams(serializers.Serializer):
    """Base of a view's query-parameter serializer (see ``query_params``); unknown names are ignored."""


class Pagination(PageNumberPagination):
    """Page-number pagination with ``page_size`` (at most 500) and ``count``.

    ``page`` and ``page_size`` must be whole numbers of at least 1 (400 otherwise); a page past
    the last is 404 (there is nothing there).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value not in (None, "") and value != "last" and not (value.isascii() and value.isdigit()
                                                                       and int(value) >= 1):
                raise invalid_parameter(name, _("Give a whole number of at least 1."))
        try:
            return super().paginate_queryset(queryset, request, view)
        except InvalidPage:  # pragma: no cover - DRF turns it into NotFound itself
            raise drf_exceptions.NotFound() from None


class RolePermission(permissions.BasePermission):
    """The caller must hold the permission the view names for the method, checked before any look-up.

    A view sets ``write_perms``: by viewset action (``{"create": "app.add_model", "verify": ...}``)
    or by HTTP method (``{"POST": "app.add_model"}``); an action or method missing there is left
    to the view's other permission classes. DRF runs this before the handler, so a caller without
    the role is refused (403) before the body is validated or any record is looked up. Branch
    scope comes next, in the view, still before the records of the request are looked up.
    """

    def has_permission(self, request, view):
        perms = getattr(view, "write_perms", {})
        perm = perms.get(getattr(view, "action", None) or "") or perms.get(request.method)
        if perm is None:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(perm))


def _field_errors(data):
    """Turn DRF's ErrorDetail tree into plain strings (already translated when raised)."""
    if isinstance(data, dict):
        return {key: _field_errors(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_field_errors(value) for value in data]
    return str(data)


def problem_exception_handler(exc, context):
    """Render every API error as problem JSON with a stable ``code`` in the request's language."""
    from rest_framework.response import Response
    from rest_framework.views import set_rollback

    if isinstance(exc, DomainError):
        response = Response(exc.as_problem(), status=exc.status, headers=exc.headers)
        response.content_type = PROBLEM_CONTENT_TYPE
        set_rollback()
        return response
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = drf_exceptions.ValidationError(errors)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    if not isinstance(exc, drf_exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    if isinstance(exc, drf_exceptions.ValidationError):
        body = problem(exc.status_code, "invalid", PROBLEM_TITLES["invalid"],
                       detail=_("See the errors of each field."), errors=_field_errors(exc.detail))
    else:
        code = str(getattr(exc, "default_code", "error"))
        detail = exc.detail.get("detail", "") if isinstance(exc.detail, dict) else exc.detail
        if code in PROBLEM_DETAILS:
            detail = PROBLEM_DETAILS[code]
        title = PROBLEM_TITLES.get(code, PROBLEM_TITLES["error"])
        body = problem(exc.status_code, code, title, detail=detail or title)
    response = Response(body, status=exc.status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
