"""Fixtures of the deployment tests: the PostgreSQL server, a Redis, the running two-node stack.

Tests marked ``deploy`` start real processes (gunicorn, huey, nginx) and run once, in their own
step of ``make test`` (scripts/test.sh: ``pytest -m deploy tests/deploy``); the per-database legs
(``-m "not browser"``) skip them. The other tests here (probes, configuration files) run in every leg.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from .stack import Stack, free_port, pg_connect

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def pytest_collection_modifyitems(config, items):
    expression = config.getoption("-m") or ""
    selected = "deploy" in expression and "not deploy" not in expression
    if selected:
        return
    skip = pytest.mark.skip(reason="deploy tests run in their own step: pytest -m deploy tests/deploy")
    for item in items:
        if item.get_closest_marker("deploy") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = os.environ.get("BKKLIB_DEPLOY_POSTGRES_URL") or DEFAULT_PG
    try:
        pg_connect(url).close()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: no server here
        pytest.skip(f"no PostgreSQL server at {url}: {exc}")
    return url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """Redis database 5 of the local server, or of a private redis-server started for the run."""
    import redis

    url = os.environ.get("BKKLIB_DEPLOY_REDIS_URL", f"redis://127.0.0.1:6379/{5}")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
        yield url
        return
    except redis.RedisError:
        pass
    finally:
        client.close()
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no Redis server answers and redis-server is not installed")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path_factory.mktemp("redis"))], stdout=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"redis://127.0.0.1:{port}/5"
    for _ in range(50):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.RedisError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def smtp():
    from conftest import SmtpSink

    sink = SmtpSink()
    sink.controller.start()
    try:
        yield sink
    finally:
        sink.controller.stop()


@pytest.fixture(scope="module")
def stack(pg_server, redis_url, smtp, tmp_path_factory):
    """Two web nodes (two gunicorn workers each), one huey consumer and a proxy, seeded; stopped afterwards."""
    running = Stack(tmp_path_factory.mktemp("stack"), pg_server=pg_server, redis_url=redis_url, email_port=smtp.port)
    try:
        running.create_database()
        running.world = running.seed()
        running.start()
        running.wait_ready()
        yield running
    finally:
        started = time.monotonic()
        running.stop()
        print(f"stack stopped in {time.monotonic() - started:.1f} s: {running.stop_times}")
