"""Prometheus metrics of a bkklib node, served at /metrics (docs/admin/deploy.md, Metrics).

What is measured:

- ``bkklib_http_request_duration_seconds``: latency of every request, labelled by view name (the
  URL pattern's name, never the path, so a record id or a card number never becomes a label),
  method and status class (``2xx``...); ``MetricsMiddleware`` times it.
- ``bkklib_circulation_transactions_total{action}``: checkouts, checkins and renewals, counted by
  circulation's services through ``circulation_transaction`` once their transaction committed.
- ``bkklib_marc_import_records_total{outcome}`` and ``bkklib_marc_import_seconds_total``: records
  read, created, overlaid, skipped and failed by MARC imports and the time they took (the rate is
  ``rate(records)/rate(seconds)``); counted by ``marc_import``.
- ``bkklib_queue_depth``: tasks waiting in the huey queue, read from the queue at scrape time.

Several gunicorn workers: with ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory per node,
emptied when gunicorn starts: deploy/gunicorn.conf.py) every process writes its counters to files
there and /metrics adds them up, so one scrape of a node sees all its workers. Without it (runserver,
tests) the process's own registry is served.

The huey worker answers no web requests: with ``BKKLIB_WORKER_METRICS_PORT`` set it serves the same
/metrics (same token and allow list) on that port from a thread of its own (``serve_worker_metrics``,
started when the consumer starts), so imports run by the worker are counted where Prometheus looks.

/metrics is refused (404, as if absent) unless the request carries ``Authorization: Bearer
<BKKLIB_METRICS_TOKEN>`` or comes from an address in ``BKKLIB_METRICS_ALLOW`` (the client address
of core.clients, so behind a configured proxy it is the real one). Neither set: always refused.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
import threading
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from . import clients

if _multiproc_dir := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(_multiproc_dir, exist_ok=True)  # a one-off command (migrate) may run before gunicorn made it

# Seconds; a desk verb takes tens of milliseconds, a search page up to a few hundred, a PDF more.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_LATENCY = Histogram(
    "bkklib_http_request_duration_seconds", "Time to answer a request, by view name, method and status class.",
    ["view", "method", "status"], buckets=LATENCY_BUCKETS,
)
CIRCULATION = Counter(
    "bkklib_circulation_transactions", "Circulation transactions committed, by action.", ["action"],
)
MARC_RECORDS = Counter(
    "bkklib_marc_import_records", "MARC records handled by imports, by outcome.", ["outcome"],
)
MARC_SECONDS = Counter("bkklib_marc_import_seconds", "Seconds spent importing MARC files.")

CIRCULATION_ACTIONS = ("checkout", "checkin", "renew")
MARC_OUTCOMES = ("read", "created", "overlaid", "skipped", "failed")


def circulation_transaction(action: str) -> None:
    """Count one committed ``action`` (checkout, checkin, renew): call it in ``transaction.on_commit``."""
    CIRCULATION.labels(action=action).inc()


def marc_import(report) -> None:
    """Count what one import did (a catalog ``ImportReport``: read, created... and seconds)."""
    for outcome in MARC_OUTCOMES:
        if value := getattr(report, outcome, 0):
            MARC_RECORDS.labels(outcome=outcome).inc(value)
    if report.seconds:
        MARC_SECONDS.inc(report.seconds)


class QueueDepthCollector:
    """``bkklib_queue_depth``: tasks waiting in the huey queue, asked of the queue at scrape time."""

    def collect(self):
        from huey.contrib.djhuey import HUEY

        gauge = GaugeMetricFamily("bkklib_queue_depth", "Tasks waiting in the huey queue.", labels=["queue"])
        try:
            gauge.add_metric([HUEY.name], HUEY.pending_count())
        except Exception:  # the queue unreachable: no sample (readyz says why), never a failed scrape
            return
        yield gauge


def registry() -> CollectorRegistry:
    """Return the registry one scrape reads: every process's files in multiprocess mode, else this process's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    scrape = CollectorRegistry()
    multiprocess.MultiProcessCollector(scrape)
    scrape.register(QueueDepthCollector())
    return scrape


if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    REGISTRY.register(QueueDepthCollector())


def allowed(request) -> bool:
    """May ``request`` read the metrics? A matching bearer token, or a client address in the allow list."""
    token = settings.BKKLIB.get("METRICS_TOKEN", "")
    sent = request.META.get("HTTP_AUTHORIZATION", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
        return True
    networks = settings.BKKLIB.get("METRICS_ALLOW", [])
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(clients.client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def metrics_view(request):
    """GET /metrics in Prometheus' text format (a 404 for whoever may not read it)."""
    if not allowed(request):
        return HttpResponseNotFound("Not Found", content_type="text/plain")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


_worker_server_lock = threading.Lock()
_worker_server: list = []


def serve_worker_metrics() -> int | None:
    """Serve /metrics from this process on ``BKKLIB_WORKER_METRICS_PORT`` (once); return the port, or None."""
    port = settings.BKKLIB.get("WORKER_METRICS_PORT")
    if not port:
        return None
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.handlers.wsgi import WSGIRequest

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    def app(environ, start_response):
        if environ.get("PATH_INFO") != "/metrics" or not allowed(WSGIRequest(environ)):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not Found"]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
        return [generate_latest(registry())]

    with _worker_server_lock:
        if not _worker_server:
            server = make_server(settings.BKKLIB.get("WORKER_METRICS_ADDR", "127.0.0.1"), int(port), app,
                                 server_class=WSGIServer, handler_class=Quiet)
            threading.Thread(target=server.serve_forever, name="bkklib-metrics", daemon=True).start()
            _worker_server.append(server)
        return _worker_server[0].server_port


class MetricsMiddleware:
    """Time every request and record it under its view's name (outermost middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = getattr(request, "bkklib_view", None) or (match.view_name if match else "unmatched")
        REQUEST_LATENCY.labels(view=view, method=request.method if request.method in _METHODS else "other",
                               status=f"{response.status_code // 100}xx").observe(time.perf_counter() - started)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
