"""A NUL byte in a JSON body is refused with 400 naming the field (schemathesis found 500s on PostgreSQL)."""
import pytest

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/circulation/checkout/", {"desk": "\x00", "item_barcode": "", "patron_card": "0"}, "desk"),
    ("/api/v1/network/second-staff/", {"staff": 1, "from_branch": "a\x00", "to_branch": "b",
                                       "starts_on": "2000-01-01", "ends_on": "2000-01-01"}, "from_branch"),
    ("/api/v1/records/", {"marc": {"fields": [{"245": {"subfields": [{"a": "x\x00"}]}}]}}, "marc"),
])
def test_a_nul_anywhere_in_a_json_body_is_a_400_naming_the_field(path, body, field, librarian):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user

    admin = staff_user(roles.NETWORK_ADMIN, is_superuser=True, username="root")
    response = token_client(admin).post(path, body, format="json")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid" and field in response.json()["errors"]


def test_a_nul_in_a_form_body_is_a_400_too(librarian):
    from bkklib.core import roles
    from bkklib.network.tests.factories import staff_user

    admin = staff_user(roles.NETWORK_ADMIN, is_superuser=True, username="root")
    for fmt in ("multipart", None):
        client = token_client(admin)
        data = {"desk": "\x00", "item_barcode": "1", "patron_card": "0"}
        if fmt:
            response = client.post("/api/v1/circulation/checkout/", data, format=fmt)
        else:
            from urllib.parse import urlencode

            response = client.post("/api/v1/circulation/checkout/", urlencode(data),
                                   content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400 and "desk" in response.json()["errors"], (fmt, response.content)
