"""Fixtures of the fault scenarios: the private PostgreSQL cluster they restart, real server processes.

The scenarios run real processes (gunicorn, ``bkklib import_marc``, the huey consumer) against the
test database and break things under them. They need a PostgreSQL cluster of their own, started
by ``tests/faults/run.sh`` (``BKKLIB_FAULTS_PG`` = ``<bin dir>:<data dir>``): the shared server is
never stopped.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

PYTHON = str(Path(sys.executable))
MANAGE = str(ROOT / "manage.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.faults)


@dataclass
class Cluster:
    """The private cluster: stop, start and restart it as its owner (postgres) would."""

    bin_dir: str
    data_dir: str

    def pg_ctl(self, *args: str) -> None:
        command = " ".join([f"{self.bin_dir}/pg_ctl", "-D", self.data_dir, *args])
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True, capture_output=True,
                       timeout=60)

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        # The same options run.sh started it with: its own port and socket folder, never 5432.
        port, socket_dir = connection.settings_dict["PORT"], Path(self.data_dir).parent
        self.pg_ctl("-w", "-o", f"'-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off'",
                    "-l", f"{socket_dir}/log", "start")
        connection.close()  # the test's own connection died with the server

    def restart(self) -> None:
        """Stop (fast: sessions are cut off) and start again, as `pg_ctl restart` or a reboot would."""
        self.stop()
        self.start()


@pytest.fixture
def cluster(transactional_db) -> Cluster:
    spec = os.environ.get("BKKLIB_FAULTS_PG", "")
    if not spec or connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the fault scenarios: tests/faults/run.sh as root with Debian's postgresql")
        pytest.skip("PostgreSQL fault scenarios run in make test's fault leg (tests/faults/run.sh), on a private "
                    "cluster they may restart; never on a shared server")
    bin_dir, data_dir = spec.rsplit(":", 1)
    return Cluster(bin_dir, data_dir)


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def app_env(cluster, tmp_path) -> dict:
    """The environment of a production process on the test database (DEBUG off, a real secret key)."""
    (tmp_path / "var").mkdir()
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
        "DATABASE_URL": database_url(), "DEBUG": "0", "BKKLIB_TESTING": "0", "SECRET_KEY": "f" * 50,
        "ALLOWED_HOSTS": "127.0.0.1", "BKKLIB_VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "CRITICAL",
        "BKKLIB_WORKERS": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
    }


class Server:
    """gunicorn with two sync workers on the test database."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "bkklib.wsgi:application", "--workers", "2", "--bind",
             f"127.0.0.1:{self.port}", "--timeout", "30", "--graceful-timeout", "2"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/api/v1/", timeout=10)
                if len(self.workers()) == 2:
                    return
            except requests.RequestException:
                pass
            assert self.process.poll() is None, log.read_text()[-3000:]
            time.sleep(0.2)
        raise AssertionError("gunicorn did not start: " + log.read_text()[-3000:])

    def workers(self) -> list[int]:
        """Return the pids of the master's worker processes (read from /proc, by parent pid)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def web(app_env, tmp_path):
    server = Server(app_env, tmp_path / "gunicorn.log")
    try:
        yield server
    finally:
        server.stop()
