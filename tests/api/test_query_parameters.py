"""Bad query parameters get 400 problem JSON naming the parameter, never 500.

Walks the OpenAPI schema of the API: every GET list operation, every documented query parameter,
once with a NUL byte and once (for numbers, booleans, dates and choices) with a value of the
wrong type. A NUL byte anywhere in an API query string (a parameter's name or value) is a 400.
"""
import pytest
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator

from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import roles
from bkklib.network.tests.factories import staff_user

from .conftest import token_client

WRONG = {"integer": "x1", "number": "x1", "boolean": "maybe"}
WRONG_FORMAT = {"date": "2026-13-45", "date-time": "yesterday"}


def _list_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    cases = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        path_params = [p["name"] for p in get.get("parameters", []) if p["in"] == "path"]
        is_list = not path_params or any(p["name"] == "page" for p in get.get("parameters", []))
        if not is_list:
            continue
        for param in get.get("parameters", []):
            if param["in"] != "query":
                continue
            kind = param.get("schema", {})
            cases.append((path, param["name"], "\x00", "NUL"))
            wrong = (WRONG_FORMAT.get(kind.get("format")) or WRONG.get(kind.get("type"))
                     or ("no-such-choice" if kind.get("enum") else None))
            if wrong:
                cases.append((path, param["name"], wrong, "wrong type"))
    return cases


def _operations_or_empty():
    import django

    django.setup()
    return _list_operations()


CASES = _operations_or_empty()


def test_the_walk_covers_the_list_endpoints_and_their_parameters():
    paths = {path for path, *_rest in CASES}
    assert {"/api/v1/org-units/", "/api/v1/branches/", "/api/v1/closures/", "/api/v1/holds/", "/api/v1/fines/",
            "/api/v1/items/", "/api/v1/records/", "/api/v1/patrons/{id}/loans/", "/api/v1/staff/"} <= paths
    assert ("/api/v1/org-units/", "version", "x1", "wrong type") in CASES
    assert len(CASES) > 60


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "value", "kind"), CASES,
                         ids=[f"{p} {n} {k}" for p, n, _v, k in CASES])
def test_a_bad_query_parameter_is_a_400_naming_it(path, name, value, kind):
    user = staff_user(roles.NETWORK_ADMIN, is_superuser=True)
    url = path.replace("{id}", str(PatronFactory().pk)) if "{id}" in path else path
    response = token_client(user).get(url, {name: value})
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid" and name in body["errors"], body


@pytest.mark.django_db
def test_org_units_with_nul_and_a_word_for_version_is_a_400(client):
    """The case schemathesis found: ?on=<NUL>&version=abc answered 500."""
    user = staff_user(roles.NETWORK_ADMIN, is_superuser=True)
    response = token_client(user).get("/api/v1/org-units/", {"on": "\x00", "version": "abc"})
    assert response.status_code == 400
    assert response.json()["errors"].keys() & {"on", "version"}


def test_the_guard_runs_without_a_database():
    from bkklib.core.middleware import QueryStringGuardMiddleware

    request = RequestFactory().get("/api/v1/branches/", {"q": "a\x00"})
    response = QueryStringGuardMiddleware(lambda r: None)(request)
    assert response.status_code == 400 and b'"q"' in response.content
    page = RequestFactory().get("/search/", {"q": "a\x00"})
    assert QueryStringGuardMiddleware(lambda r: "the page's own answer")(page) == "the page's own answer"
