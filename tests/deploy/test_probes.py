"""Health, readiness, metrics and request logs of one node, through Django's test client (both databases)."""
from __future__ import annotations

import io
import json
import logging

import pymarc
import pytest
from django.db import connection
from prometheus_client import REGISTRY

from bkklib.core import health, logs, metrics


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_healthz_answers_without_touching_the_database_even_for_an_unknown_host(client):
    # No django_db mark: pytest-django makes any database access in this test an error.
    answer = client.get("/healthz", HTTP_HOST="10.1.2.3:8001")  # a probe addresses the node by its IP
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert answer["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_database_migrations_redis_and_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "redis", "media"}
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert body["checks"]["database"]["vendor"] == connection.vendor
    assert list((tmp_path / "media").iterdir()) == []  # the probe file is gone


@pytest.mark.django_db
def test_readyz_is_503_naming_what_fails(client, settings, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    settings.MEDIA_ROOT = str(blocked / "media")
    settings.REDIS_URL = "redis://127.0.0.1:1/5"  # nothing listens there
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "not ready"
    assert body["checks"]["media"]["ok"] is False
    assert body["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}
    assert body["checks"]["database"]["ok"] is True


def test_the_production_profile_needs_redis(settings):
    settings.DEBUG, settings.TESTING, settings.REDIS_URL = False, False, ""
    assert health.check_redis()["ok"] is False


def test_metrics_are_refused_without_token_or_allowed_address(client, settings):
    settings.BKKLIB = {**settings.BKKLIB, "METRICS_TOKEN": "s3cret-token", "METRICS_ALLOW": []}
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    answer = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert answer.status_code == 200
    assert "bkklib_http_request_duration_seconds_bucket" in answer.content.decode()


def test_metrics_allow_list_uses_the_real_client_address_behind_the_proxy(client, settings):
    settings.BKKLIB = {**settings.BKKLIB, "METRICS_TOKEN": "", "METRICS_ALLOW": ["10.0.0.0/8"], "TRUSTED_PROXIES": 1}
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.2.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.2.3.4, 192.0.2.9").status_code == 404
    settings.BKKLIB = {**settings.BKKLIB, "METRICS_ALLOW": []}
    assert client.get("/metrics", REMOTE_ADDR="10.2.3.4").status_code == 404  # neither set: nobody


@pytest.mark.django_db
def test_request_latency_is_labelled_by_view_name_never_by_path(client):
    before = sample("bkklib_http_request_duration_seconds_count", view="opac:record", method="GET", status="4xx")
    client.get("/records/987654/")  # no such record: 404, still the record page's view
    after = sample("bkklib_http_request_duration_seconds_count", view="opac:record", method="GET", status="4xx")
    assert after == before + 1
    text = "\n".join(str(s) for m in REGISTRY.collect() for s in m.samples)
    assert "987654" not in text  # the path's id never becomes a label


@pytest.mark.django_db
def test_circulation_verbs_count_themselves_once_committed(django_capture_on_commit_callbacks):
    from bkklib.catalog.tests.factories import ItemFactory
    from bkklib.circulation import services
    from bkklib.circulation.tests.conftest import TUE_10AM
    from bkklib.circulation.tests.factories import PatronFactory
    from bkklib.core import roles
    from bkklib.network.tests.factories import BranchFactory, staff_user

    branch = BranchFactory()
    staff = staff_user(roles.BRANCH_LIBRARIAN, branch)
    item, patron = ItemFactory(branch=branch), PatronFactory(home_branch=branch)
    before = {a: sample("bkklib_circulation_transactions_total", action=a) for a in metrics.CIRCULATION_ACTIONS}
    with django_capture_on_commit_callbacks(execute=True):
        loan = services.checkout(item=item, patron=patron, staff=staff, desk=branch, now=TUE_10AM)
        services.renew(loan=loan, staff=staff, desk=branch, now=TUE_10AM)
        services.checkin(item=item, staff=staff, desk=branch, now=TUE_10AM)
    after = {a: sample("bkklib_circulation_transactions_total", action=a) for a in metrics.CIRCULATION_ACTIONS}
    assert {a: after[a] - before[a] for a in after} == {"checkout": 1, "renew": 1, "checkin": 1}


@pytest.mark.django_db
def test_marc_imports_count_records_and_seconds():
    from bkklib.catalog.importer import import_marc

    records = io.BytesIO()
    for n in range(3):
        record = pymarc.Record(leader="00000nam a2200000 a 4500")
        record.add_field(pymarc.Field(tag="245", indicators=["1", "0"],
                                      subfields=[pymarc.Subfield("a", f"หนังสือนับสถิติ {n}")]))
        records.write(record.as_marc())
    before = sample("bkklib_marc_import_records_total", outcome="created")
    seconds = sample("bkklib_marc_import_seconds_total")
    report = import_marc([records.getvalue()], format="iso2709")
    assert report.created == 3
    assert sample("bkklib_marc_import_records_total", outcome="created") == before + 3
    assert sample("bkklib_marc_import_seconds_total") > seconds


@pytest.mark.django_db
def test_each_request_gets_an_id_and_one_json_log_line_without_personal_data(client, caplog):
    with caplog.at_level(logging.INFO, logger="bkklib.request"):
        answer = client.get("/search/", {"q": "สมหญิง รักการอ่าน"}, HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    assert answer["X-Request-ID"] == "nginx-0123456789abcdef"
    [record] = [r for r in caplog.records if r.name == "bkklib.request"]
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["message"] == "request"
    assert line["view"] == "opac:search" and line["status"] == 200 and line["method"] == "GET"
    assert "สมหญิง" not in json.dumps(line, ensure_ascii=False)  # no query string, no search words
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"] != "bad id with spaces"


def test_json_lines_carry_the_request_and_user_ids_of_the_context():
    rid, uid = logs.request_id.set("abc123def456"), logs.user_id.set(42)
    try:
        record = logging.LogRecord("bkklib.test", logging.WARNING, __file__, 1, "ยืม %s เล่ม", (3,), None)
        record.barcode_count = 3
        line = json.loads(logs.JsonFormatter().format(record))
    finally:
        logs.request_id.reset(rid)
        logs.user_id.reset(uid)
    assert line["request_id"] == "abc123def456" and line["user_id"] == 42
    assert line["message"] == "ยืม 3 เล่ม" and line["level"] == "WARNING" and line["barcode_count"] == 3


def test_check_deploy_flags_state_a_node_would_keep_to_itself(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.HUEY = {"huey_class": "huey.SqliteHuey"}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.file"
    ids = {e.id for e in health.check_shared_state()}
    assert {"bkklib.E101", "bkklib.E102", "bkklib.E103"} <= ids
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    settings.HUEY = {"huey_class": "huey.RedisHuey"}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert not [e for e in health.check_shared_state() if e.id.startswith("bkklib.E")]
