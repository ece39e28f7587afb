"""Schemathesis against the Django WSGI app: generated GET requests never answer 500 (a smoke test).

Schemathesis found the original defect (``/api/v1/org-units/?on=<NUL>&version=abc`` answered
500). Here every GET operation of the OpenAPI schema, lists and details, gets 8 generated requests
(valid and invalid values, derandomised so a run is repeatable); each answer must be below 500,
and a refusal must be problem JSON. At this budget it is a smoke test: it did not rediscover the
org-units defect when that fix was undone (its coverage phase would, at ~25 s per operation).
``test_query_parameters`` is the deterministic check of every documented parameter.
"""
import django
import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core import signals  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from drf_spectacular.generators import SchemaGenerator  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from bkklib.core import roles  # noqa: E402
from bkklib.network.tests.factories import staff_user  # noqa: E402

from .conftest import token_client  # noqa: E402

django.setup()
# Fuzzing only, valid and invalid values alike; the coverage phase (hundreds of requests) is
# left to test_query_parameters, which walks every documented parameter deterministically.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({
    "generation": {"mode": "all"},
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture
def auth(db):
    """A superuser's token header; the WSGI app keeps the test's connection (as Django's test client does)."""
    user = staff_user(roles.NETWORK_ADMIN, is_superuser=True)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": token_client(user)._credentials["HTTP_AUTHORIZATION"]}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_generated_get_requests_never_answer_500(case, auth):
    response = case.call(headers=auth)
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    if response.status_code >= 400 and case.path.startswith("/api/v1/"):
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
        assert str(content_type).count("application/problem+json"), (case.path, content_type)
