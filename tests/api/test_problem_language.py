"""Problem answers are Thai unless the client asks for English, with stable codes, from every app.

A sample of each kind of refusal: DRF's own (401/403/404/405/415, parse errors, validation
errors, 429) and the domain errors of network, catalog, circulation and opac. With no
Accept-Language the title and detail (and every field message) are Thai: Thai letters and no
English sentence. With ``Accept-Language: en`` they are English; the ``code`` is the same.
"""
import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers
from rest_framework.test import APIClient

from bkklib.core.api import problem_exception_handler
from bkklib.core.exceptions import DomainError

from .conftest import token_client

pytestmark = pytest.mark.django_db

THAI = re.compile("[\u0e01-\u0e5b]")
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}\b){2,}")  # three English words in a row


def texts(body: dict) -> list[str]:
    """The title, detail and every field message of a problem body."""
    out = [body["title"], body["detail"]]

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            out.append(str(value))

    walk(body.get("errors", {}))
    return out


def assert_thai(body):
    for text in texts(body):
        assert THAI.search(text), (body["code"], text)
        assert not ENGLISH_SENTENCE.search(text), (body["code"], text)


def assert_english(body):
    for text in texts(body):
        assert re.search(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}", text), (body["code"], text)


def _cases(net):
    lib, anon = token_client(net.librarian), APIClient()
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    desk = net.branch.code
    return [
        # DRF's own refusals
        ("not signed in", anon, "post", "/api/v1/circulation/checkout/", {"item_barcode": "x", "patron_card": "y"},
         {}, "not_authenticated"),
        ("bad token", bad_token, "get", "/api/v1/patrons/", None, {}, "authentication_failed"),
        ("no role", token_client(net.executive), "post", "/api/v1/circulation/checkout/",
         {"item_barcode": "x", "patron_card": "y"}, {}, "permission_denied"),
        ("no such patron id", lib, "get", "/api/v1/patrons/999999/", None, {}, "not_found"),
        ("wrong method", lib, "get", "/api/v1/circulation/checkout/", None, {}, "method_not_allowed"),
        ("unsupported body", lib, "post", "/api/v1/circulation/checkout/", "item_barcode=x",
         {"content_type": "text/plain"}, "unsupported_media_type"),
        ("broken JSON", lib, "post", "/api/v1/circulation/checkout/", '{"item_barcode": ',
         {"content_type": "application/json"}, "parse_error"),
        ("missing fields", lib, "post", "/api/v1/circulation/checkout/", {"desk": desk}, {}, "invalid"),
        ("bad query parameter", lib, "get", "/api/v1/org-units/?version=abc", None, {}, "invalid"),
        ("NUL in a query parameter", lib, "get", "/api/v1/branches/?q=a%00b", None, {}, "invalid"),
        # network
        ("another branch's data", lib, "patch", f"/api/v1/branches/{net.other.code}/", {"phone": "021234567"}, {},
         "not_at_this_branch"),
        ("closure ends before it starts", lib, "post", "/api/v1/closures/",
         {"branch": desk, "starts_on": "2026-12-10", "ends_on": "2026-12-01", "reason_th": "ซ่อม"}, {}, "invalid"),
        # catalog
        ("status set directly", lib, "patch", f"/api/v1/items/{net.item.pk}/", {"status": "on_loan"}, {},
         "invalid_item_status"),
        # circulation
        ("unknown barcode", lib, "post", "/api/v1/circulation/checkout/",
         {"desk": desk, "item_barcode": "NO-SUCH-1", "patron_card": net.patron.card_number}, {}, "item_not_found"),
        ("desk of another branch", lib, "post", "/api/v1/circulation/checkin/",
         {"desk": net.other.code, "item_barcode": net.item.barcode}, {}, "not_at_this_branch"),
        ("hold of nothing", lib, "post", "/api/v1/holds/",
         {"desk": desk, "patron_card": net.patron.card_number, "pickup_branch": desk}, {}, "invalid"),
        ("renew what is not lent", lib, "post", "/api/v1/circulation/renew/",
         {"desk": desk, "item_barcode": net.item.barcode}, {}, "loan_ended"),
    ]


@pytest.mark.parametrize("lang", [None, "en"])
def test_every_kind_of_refusal_speaks_the_request_language(net, lang):
    answers = {}
    for name, client, method, url, data, extra, code in _cases(net):
        kwargs = {**extra}
        if lang:
            kwargs["HTTP_ACCEPT_LANGUAGE"] = lang
        if data is not None:
            kwargs.setdefault("format", "json") if "content_type" not in kwargs else None
            response = getattr(client, method)(url, data, **kwargs)
        else:
            response = getattr(client, method)(url, **kwargs)
        assert response["Content-Type"].startswith("application/problem+json"), (name, response.content[:200])
        body = response.json()
        assert body["code"] == code, (name, body)
        assert body["status"] == response.status_code >= 400, (name, body)
        (assert_english if lang == "en" else assert_thai)(body)
        answers[name] = body["code"]
    assert len(answers) == len(_cases(net))


@pytest.mark.parametrize("lang", ["th", "en"])
def test_throttling_and_server_side_refusals_are_translated_too(lang):
    with translation.override(lang):
        amount = serializers.Serializer()
        amount.fields["amount"] = serializers.DecimalField(max_digits=6, decimal_places=2)
        amount.initial_data = {"amount": "สิบบาท"}
        with pytest.raises(drf_exceptions.ValidationError) as invalid:
            amount.is_valid(raise_exception=True)
        for exc, code in [(drf_exceptions.Throttled(wait=30), "throttled"),
                          (drf_exceptions.NotAcceptable(), "not_acceptable"),
                          (invalid.value, "invalid")]:
            response = problem_exception_handler(exc, {})
            assert response.data["code"] == code
            (assert_english if lang == "en" else assert_thai)(response.data)
        assert problem_exception_handler(drf_exceptions.Throttled(wait=30), {})["Retry-After"] == "30"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_opac_refusals_are_translated(db, lang):
    from bkklib.opac import services as opac_services
    from bkklib.opac.models import NewsPost

    post = NewsPost.objects.create(slug="no-thai", title_th="", title_en="News", body_th="", body_en="Text")
    with translation.override(lang):
        with pytest.raises(DomainError) as raised:
            opac_services.publish(post)
        body = problem_exception_handler(raised.value, {}).data
    assert body["code"] == "news_missing_thai"
    (assert_english if lang == "en" else assert_thai)(body)


def test_every_domain_message_has_thai():
    """Each DomainError class's message and each reason table of every app's exceptions module."""
    import importlib

    for app in ("core", "network", "catalog", "circulation", "opac"):
        try:
            module = importlib.import_module(f"bkklib.{app}.exceptions")
        except ImportError:
            continue
        with translation.override("th"):
            names = {k: v for k, v in vars(module).items() if not k.startswith("_")}
            messages = [getattr(value, "message", None) for value in names.values()
                        if isinstance(value, type) and issubclass(value, DomainError)]
            for value in names.values():
                if isinstance(value, dict):
                    messages += list(value.values())
                elif type(value).__name__ == "__proxy__":
                    messages.append(value)
            untranslated = [str(m) for m in messages if m is not None and not THAI.search(str(m))]
        assert untranslated == [], app


def test_no_refusal_is_written_as_a_plain_untranslated_string():
    """``message="..."`` given to a DomainError is English forever: messages go through gettext."""
    root = Path(__file__).resolve().parents[2] / "bkklib"
    plain = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "message" and isinstance(keyword.value, ast.Constant | ast.JoinedStr):
                        plain.append(f"{path.relative_to(root)}:{node.lineno}")
    assert plain == []


@pytest.mark.parametrize("lang", [None, "en"])
def test_an_unknown_api_address_is_a_problem_answer_too(client, lang):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    response = client.get("/api/v1/no-such-resource/", **headers)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "not_found"
    (assert_english if lang == "en" else assert_thai)(body)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_crash_under_the_api_is_a_problem_answer_and_is_logged(lang, caplog):
    from django.test import RequestFactory

    from bkklib.core.middleware import ApiProblemMiddleware

    request = RequestFactory().get("/api/v1/branches/")
    with translation.override(lang):
        response = ApiProblemMiddleware(lambda r: None).process_exception(request, RuntimeError("boom"))
    body = __import__("json").loads(response.content)
    assert (response.status_code, body["code"]) == (500, "server_error")
    (assert_english if lang == "en" else assert_thai)(body)
    assert any("boom" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
