"""Health and readiness of a node, for load balancers, orchestrators and monitoring (docs/admin/deploy.md).

- ``/healthz``: the process is alive and answers; touches nothing else (no database), so a
  database outage does not make every node look dead and get restarted.
- ``/readyz``: the node can serve: the database answers, every migration of this release is
  applied, Redis answers (when configured; required in the production profile), the media
  directory is writable. 200 when all hold, 503 otherwise, with each check's result in JSON.

Both, and /metrics, are answered by ``ProbeMiddleware`` at the top of the stack: before host
validation (a probe addresses a node by its IP), sessions, language and authentication. They
carry no personal data and need no log-in. ``check_shared_state`` is the deploy check (``bkklib
check --deploy``) that the node keeps nothing of its own: sessions in the database, cache and
queue in Redis; a local-memory cache in production is a bug.
"""
from __future__ import annotations

import os
import tempfile
import time

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection
from django.http import JsonResponse

from . import metrics

HEALTH_PATH, READY_PATH, METRICS_PATH = "/healthz", "/readyz", "/metrics"


def production() -> bool:
    """The production profile: DEBUG off outside the tests."""
    return not settings.DEBUG and not settings.TESTING


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


# Building the migration graph costs tens of milliseconds: a complete schema is believed for a minute
# (a pending migration is looked for again at every probe, so a node turns ready as soon as it is applied).
MIGRATIONS_OK_FOR = 60.0
_migrations_ok_until = [0.0]


def check_migrations() -> dict:
    from django.db.migrations.executor import MigrationExecutor

    if time.monotonic() < _migrations_ok_until[0]:
        return {"ok": True, "pending": 0}
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    if not pending:
        _migrations_ok_until[0] = time.monotonic() + MIGRATIONS_OK_FOR
    return {"ok": not pending, "pending": len(pending)}


def check_redis() -> dict:
    url = settings.REDIS_URL
    if not url:
        if production():
            return {"ok": False, "error": "REDIS_URL is not set: cache and queue would be this node's own"}
        return {"ok": True, "configured": False}
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "error": type(exc).__name__}
    finally:
        client.close()
    return {"ok": True, "configured": True}


def check_media() -> dict:
    root = settings.MEDIA_ROOT
    try:
        os.makedirs(root, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


READY_CHECKS = {"database": check_database, "migrations": check_migrations, "redis": check_redis,
                "media": check_media}


def readiness() -> tuple[bool, dict]:
    results = {}
    for name, check in READY_CHECKS.items():
        if name == "migrations" and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "database unavailable"}
            continue
        results[name] = check()
    return all(r["ok"] for r in results.values()), results


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readyz(request) -> JsonResponse:
    ready, results = readiness()
    try:
        return JsonResponse({"status": "ready" if ready else "not ready", "checks": results},
                            status=200 if ready else 503, headers={"Cache-Control": "no-store"})
    finally:
        connection.close_if_unusable_or_obsolete()


PROBES = {HEALTH_PATH: ("healthz", healthz), READY_PATH: ("readyz", readyz), METRICS_PATH: ("metrics", metrics.metrics_view)}


class ProbeMiddleware:
    """Answer /healthz, /readyz and /metrics (GET or HEAD) before the rest of the stack runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        request.bkklib_view = probe[0]
        return probe[1](request)


# --- Deploy check: nothing of a node's own --------------------------------------------------------


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_state(app_configs=None, **kwargs):
    """``check --deploy``: sessions in the database, cache and queue in Redis (several nodes share them)."""
    errors = []
    cache = settings.CACHES["default"]["BACKEND"]
    if "locmem" in cache.lower() or "dummy" in cache.lower() or "filebased" in cache.lower():
        errors.append(checks.Error(
            f"The cache ({cache}) is this process's own: rate limits and cached pages would differ between "
            "workers and nodes.", hint="Set REDIS_URL (docs/admin/deploy.md).", id="bkklib.E101"))
    if settings.HUEY.get("huey_class") != "huey.RedisHuey":
        errors.append(checks.Error(
            "The task queue is a local SQLite file: workers on other hosts would never see its tasks.",
            hint="Set REDIS_URL (docs/admin/deploy.md).", id="bkklib.E102"))
    if settings.SESSION_ENGINE not in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache",
                                       "django.contrib.sessions.backends.cached_db"):
        errors.append(checks.Error(
            f"Sessions ({settings.SESSION_ENGINE}) are not kept where every node reads them.",
            hint="Keep SESSION_ENGINE at its default (the database).", id="bkklib.E103"))
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        errors.append(checks.Warning(
            "SQLite serves one host only; several nodes need PostgreSQL.", hint="Set DATABASE_URL.",
            id="bkklib.W104"))
    return errors
