"""API refusals are RFC 7807 problem JSON with a stable code."""
from django.test import RequestFactory
from rest_framework import exceptions

from bkklib.core.api import problem_exception_handler
from bkklib.core.exceptions import Conflict, Refused


def test_domain_errors_become_problem_json():
    error = Refused(code="card_expired", message="The card of {card} has expired.", card="2000000000011")
    response = problem_exception_handler(error, {})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.data["code"] == "card_expired"
    assert response.data["detail"] == "The card of 2000000000011 has expired."


def test_validation_errors_keep_their_fields():
    request = RequestFactory().get("/")
    response = problem_exception_handler(exceptions.ValidationError({"phone": ["bad"]}), {"request": request})
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["errors"] == {"phone": ["bad"]}


def test_conflict_status():
    assert problem_exception_handler(Conflict(), {}).status_code == 409
