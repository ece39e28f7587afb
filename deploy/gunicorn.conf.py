"""gunicorn settings of a bkklib web node (docs/admin/deploy.md): ``gunicorn -c deploy/gunicorn.conf.py``.

Every value can be overridden by the environment (``GUNICORN_BIND``, ``GUNICORN_WORKERS``...) or on
the command line. Prometheus multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR`` is emptied when the
master starts and a dead worker's live gauges are dropped, so /metrics adds up the workers alive.
"""
import os
import shutil
from pathlib import Path

wsgi_app = "bkklib.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")
# Measured (docs/admin/README.md, docs/performance.md): one process per concurrently busy desk.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Addresses of the reverse proxies whose X-Forwarded-Proto gunicorn believes (nginx).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The application writes one JSON line per request itself (core/logs.py): no second access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = os.environ.get("GUNICORN_PROC_NAME", "bkklib-web")


def on_starting(server):
    """Empty the metrics directory: files of an earlier run would be added to this one's counts."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        path = Path(directory)
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)


def child_exit(server, worker):
    """Forget the live gauges of a worker that exited (its counters stay: they were counted)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Load the search index's in-memory values before this worker takes its first request: loaded by that
    request instead, a reader would wait for them (19 s at 1,000,000 records, docs/performance.md), after every
    restart and every ``max_requests`` recycling. The loading runs in a thread while this one tells the arbiter
    the worker is alive, so a slow load is not taken for a hung worker. BKKLIB_WARM_SEARCH=0 skips it."""
    if os.environ.get("BKKLIB_WARM_SEARCH", "1") == "0":
        return
    import threading
    import time

    def load():
        from django.db import connections

        started = time.monotonic()
        try:
            from django.urls import resolve

            from bkklib.search import index

            loaded = index.warm()
            resolve("/api/v1/records/")  # loads the URLconf, so every app's views: 1.3 s of a first request
            worker.log.info("search values %s in %.1f s", "loaded" if loaded else "not used", time.monotonic() - started)
        except Exception:  # the database may be down: the first search then loads them (or reports that)
            worker.log.exception("search warm-up failed; the first search loads the values instead")
        finally:
            connections.close_all()

    thread = threading.Thread(target=load, name="search-warm-up", daemon=True)
    thread.start()
    while thread.is_alive():
        worker.notify()
        thread.join(1)


# gunicorn's own messages as JSON lines too (LOG_FORMAT=text: its usual format).
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "bkklib.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
        "loggers": {"gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
                    "gunicorn.access": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False}},
    }
