"""API conventions shared by every app: pagination and RFC 7807 problem responses."""
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler

from .exceptions import DomainError


class Pagination(PageNumberPagination):
    """Page-number pagination with ``page_size`` (at most 500) and ``count``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


PROBLEM_CONTENT_TYPE = "application/problem+json"


def _problem(status: int, code: str, title: str, detail=None, **extra) -> dict:
    body = {
        "type": f"https://bkklib.bangkok.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail is not None:
        body["detail"] = detail
    body.update(extra)
    return body


def problem_exception_handler(exc, context):
    """Render every API error as problem JSON with a stable ``code``."""
    from rest_framework.response import Response

    if isinstance(exc, DomainError):
        response = Response(exc.as_problem(), status=exc.status)
        response.content_type = PROBLEM_CONTENT_TYPE
        return response
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = drf_exceptions.ValidationError(errors)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        body = _problem(
            response.status_code, "invalid", _("The input is not valid."), detail=_("See the errors of each field."),
            errors=response.data,
        )
    else:
        code = getattr(exc, "default_code", "error")
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        body = _problem(response.status_code, str(code), str(detail), detail=str(detail))
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
