"""Schemathesis against the Django WSGI app: every operation of /api/schema/, no 500, problem JSON refusals.

Issue 30 (API fuzzing): every operation of the OpenAPI schema (GET, POST, PUT, PATCH, DELETE)
gets a bounded number of generated requests (valid and invalid values, derandomised so a run is
repeatable; stateless: no links between operations), sent with a superuser's token so that the
requests reach the views' validation and services instead of stopping at 401/403. Each answer
must be below 500, and every refusal (4xx) must be problem JSON in the documented shape
(docs/api/README.md: ``type``, ``title``, ``status`` equal to the HTTP status, a stable ``code``).
The whole run stays well under 90 s (``EXAMPLES`` per operation); ``test_query_parameters`` is the
deterministic check of every documented parameter.

500s this run found and the fixes (issue 30): see docs/admin/security.md, "API fuzzing".
"""
import json
import os

import django
import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core import signals  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from drf_spectacular.generators import SchemaGenerator  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from bkklib.core import roles  # noqa: E402
from bkklib.network.tests.factories import BranchFactory, staff_user  # noqa: E402

from .conftest import token_client  # noqa: E402

django.setup()
# Requests per operation: 46 operations x 6 in ~30 s on the shared machine (more: BKKLIB_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("BKKLIB_FUZZ_EXAMPLES", "6"))
# Fuzzing only, valid and invalid values alike, stateless; the coverage phase (hundreds of
# requests per operation) is left to test_query_parameters, which walks every parameter.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({
    "generation": {"mode": "all"},
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture
def auth(db):
    """A superuser's token header; the WSGI app keeps the test's connection (as Django's test client does)."""
    BranchFactory(code="bkn")  # something for writes that name a branch to find
    user = staff_user(roles.NETWORK_ADMIN, is_superuser=True)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": token_client(user)._credentials["HTTP_AUTHORIZATION"]}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def assert_problem(case, response) -> None:
    """A refusal under /api/v1/ is problem JSON: type, title, status (the HTTP one) and a code."""
    headers = {key.lower(): value for key, value in response.headers.items()}
    content_type = str(headers.get("content-type", ""))
    where = (case.method, case.path, case.path_parameters, case.query, response.status_code, response.text[:300])
    assert "application/problem+json" in content_type, (where, content_type)
    body = json.loads(response.text)
    assert isinstance(body, dict), where
    assert body.get("status") == response.status_code, where
    assert isinstance(body.get("code"), str) and body["code"], where
    assert isinstance(body.get("title"), str) and body["title"], where
    assert str(body.get("type", "")).endswith("/" + body["code"]), where
    if body["code"] == "invalid":
        assert isinstance(body.get("errors"), dict), where


# Once per run, on PostgreSQL (the production engine, and the stricter one: NUL bytes, integer and
# decimal ranges are its errors, not SQLite's); the SQLite leg skips it. BKKLIB_FUZZ_ALL_ENGINES=1 runs it there too.
ON_THIS_ENGINE = connection.vendor == "postgresql" or os.environ.get("BKKLIB_FUZZ_ALL_ENGINES") == "1"


@pytest.mark.skipif(not ON_THIS_ENGINE, reason="fuzzed once per run, on the PostgreSQL leg")
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_generated_requests_never_answer_500_and_refusals_are_problem_json(case, auth):
    response = case.call(headers=auth)
    assert response.status_code < 500, (case.method, case.path, case.path_parameters, case.query, case.body,
                                         response.text[:300])
    if response.status_code >= 400 and case.path.startswith("/api/v1/"):
        assert_problem(case, response)
