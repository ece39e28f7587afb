"""Fixtures shared by every app's tests: a local SMTP sink, a real huey consumer, shared data."""
import os
import signal
import socket
import time
from pathlib import Path

import pytest

# Real third-party test material, read in place from a ``shared/data`` folder beside the checkout
# (../shared/data) or beside a folder above it; README.md, "Test data", says what it holds.
SHARED_DATA = next(
    (parent / "shared" / "data" for parent in Path(__file__).resolve().parents if (parent / "shared" / "data").is_dir()),
    Path(__file__).resolve().parent.parent / "shared" / "data",
)


def pytest_configure(config):
    """In `make test`, copy the migrated template database instead of migrating per worker."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "scripts"))
    import test_templates

    test_templates.install()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages, home sections and rate-limit counts of an
    earlier test in the same worker must not decide this one."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):  # never flush a real Redis
        cache.clear()


@pytest.fixture
def shared_data() -> Path:
    """The ``shared/data`` folder of third-party test material (read in place, never shipped); skip without it."""
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not beside this checkout")
    return SHARED_DATA


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                sink.messages.append(
                    {"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                     "message": message_from_bytes(envelope.content, policy=policy.default)}
                )
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_sink(settings):
    """Send Django's email through a local SMTP server and return it."""
    sink = SmtpSink()
    sink.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        sink.controller.stop()


@pytest.fixture
def huey_consumer(tmp_path):
    """Run a real huey consumer (two worker threads) on a private SQLite queue; yield the huey.

    The project's huey runs in immediate mode in tests; here it is switched to a real queue in a
    temporary file and a real consumer executes what the code enqueues.
    """
    from huey import SqliteHuey
    from huey.contrib.djhuey import HUEY as huey

    saved_kwargs, saved_immediate = huey.storage_kwargs, huey.immediate
    if isinstance(huey, SqliteHuey):
        huey.storage_kwargs = {**saved_kwargs, "filename": str(tmp_path / "huey.sqlite3")}
    huey.immediate = False
    huey.storage = huey.create_storage()
    huey.flush()
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False, check_worker_health=False)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer.start()  # scheduler and worker threads; signal handlers need the main thread
    try:
        yield huey
    finally:
        consumer.stop(graceful=True)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        huey.flush()
        huey.storage_kwargs = saved_kwargs
        huey.immediate = saved_immediate
        huey.storage = huey.create_storage()


# Rows the data migrations load (districts, item types, patron categories, the default loan
# policy): tests with real transactions empty every table when they end, and the transactional
# tests that run after them in the same worker expect these rows. Each loader is idempotent.
REFERENCE_DATA_LOADERS = [
    ("bkklib.network.migrations.0002_load_districts_and_services", "load"),
    ("bkklib.catalog.migrations.0002_default_item_types", "forwards"),
    ("bkklib.circulation.migrations.0002_default_categories_policy", "forwards"),
]


def load_reference_data() -> None:
    """Load again what the data migrations put in the database (idempotent)."""
    import importlib

    from django.apps import apps

    for module, function in REFERENCE_DATA_LOADERS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test with real transactions emptied the tables, put the reference data back."""
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in item.fixturenames for name in ("transactional_db", "live_server"))
    # After the last test the session has already dropped the test database: nothing to restore.
    if transactional and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            load_reference_data()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (``CI=true``) a test skipped because an outside tool is missing fails instead.

    Locally a developer without yaz, MARC::Lint, pdftotext or chromium still gets a green run of
    everything else; in CI those checks are the point, and ``make test`` installs the tools.
    """
    report = yield
    if report.skipped and os.environ.get("CI") == "true" and call.excinfo is not None:
        reason = str(call.excinfo.value)
        if "not installed" in reason or "no chromium" in reason:
            report.outcome = "failed"
            report.longrepr = f"required tool missing in CI: {reason}"
    return report


# Fixtures through which a test reaches the database; a test with none of them (and no django_db
# marker) cannot touch it: pytest-django refuses database access elsewhere.
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "admin_client", "admin_user", "django_user_model",
                     "django_db_reset_sequences", "django_db_serialized_rollback"}


def touches_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """``BKKLIB_DATABASE_TESTS_ONLY=1`` (make test's PostgreSQL leg): keep only the tests that use the database.

    The others (rules, parsers, PDFs, settings...) give the same answer on every engine and already ran
    on the SQLite leg; running them again on PostgreSQL only costs time.
    """
    if os.environ.get("BKKLIB_DATABASE_TESTS_ONLY") != "1":
        return
    kept, dropped = [], []
    for item in items:
        (kept if touches_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
