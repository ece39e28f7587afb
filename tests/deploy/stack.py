"""The production profile on one machine, for tests: PostgreSQL database, Redis, gunicorn nodes, huey, a proxy.

Each run gets its own database ``bkklib_opsdeploy_run_<pid>`` (cloned from a migrated template
``bkklib_opsdeploy_tpl_<hash of the migrations>``, made once: migrating from scratch takes most of
a minute), Redis database 5 with a queue name and cache prefix of its own, a temporary directory
for media (shared by the nodes), logs and metrics files. The proxy is the shipped nginx site
(deploy/nginx/bkklib.conf, rewritten for local ports and a throw-away certificate) when nginx is
installed, else ``RoundRobinProxy``. ``Stack.stop`` ends every process it started, by its pid.
"""
from __future__ import annotations

import hashlib
import http.client
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
REDIS_DB = 5
NGINX_SITE = ROOT / "deploy" / "nginx" / "bkklib.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "bkklib").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def pg_connect(server_url: str, dbname: str = "postgres"):
    import psycopg

    parts = urlparse(server_url)
    return psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                           user=parts.username or "postgres", password=parts.password, dbname=dbname, autocommit=True)


def with_database(server_url: str, name: str) -> str:
    parts = urlparse(server_url)
    return urlunparse(parts._replace(path=f"/{name}"))


def base_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "BKKLIB_TEST", "DJANGO_"))}
    env.pop("BKKLIB_TESTING", None)
    env.pop("DATABASE_URL", None)
    env.update({"DJANGO_SETTINGS_MODULE": "bkklib.settings", "PYTHONPATH": str(ROOT), "DEBUG": "0",
                "SECRET_KEY": "ops-deploy-test-" + "k" * 40 + "-not-a-real-secret",
                "BKKLIB_VAR_DIR": str(tmp / "var"), "MEDIA_ROOT": str(tmp / "media"), "HUEY_IMMEDIATE": "0",
                "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "BKKLIB_WORKERS": "0"})
    return env


def migrated_start(conn) -> str:
    """The database to start the template from: in `make test`, the migrated test template of this run
    (scripts/test_templates.py, the same migrations, built a few minutes before) when this server has it and
    nobody is connected to it, so the `migrate` below has nothing left to do; else an empty template0."""
    name = os.environ.get("BKKLIB_TEST_TEMPLATE_PG", "")
    if name and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() and not \
            conn.execute("SELECT 1 FROM pg_stat_activity WHERE datname = %s", [name]).fetchone():
        return f'"{name}"'
    return "template0"


def ensure_template(server_url: str, env: dict) -> str:
    """Return a migrated and seeded template database for this code (building it the first time).

    Keyed by a hash of the migrations and of seed.py; the world seed.py described is kept in the
    template's table ``opsdeploy_world``. Migrating and seeding take most of a minute, cloning a second.
    """
    name = f"bkklib_opsdeploy_tpl_{template_hash()}"
    with pg_connect(server_url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return name
        # Other branches' templates may be in use by their runs: keep the newest few, drop older ones.
        for (old,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'bkklib_opsdeploy_tpl_%'"
                                   " ORDER BY oid DESC OFFSET 3").fetchall():
            drop_unless_in_use(conn, old)
        for (old,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'bkklib_opsdeploy_build_%'"
                                   " OR datname LIKE 'bkklib_opsdeploy_run_%'").fetchall():
            pid = re.search(r"(?:build_|run_opsdeploy)(\d+)", old)
            if pid and not pid_alive(int(pid.group(1))):  # left by a run that crashed
                drop_unless_in_use(conn, old)
        building = f"bkklib_opsdeploy_build_{os.getpid()}"
        conn.execute(f'CREATE DATABASE "{building}" ENCODING \'UTF8\' TEMPLATE {migrated_start(conn)}')
    build_env = {**env, "DATABASE_URL": with_database(server_url, building), "LOG_LEVEL": "WARNING"}
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True, env=build_env)
    out = subprocess.run([PY, "tests/deploy/seed.py"], cwd=ROOT, env=build_env, check=True, capture_output=True,
                         text=True)
    with pg_connect(server_url, building) as conn:
        conn.execute("CREATE TABLE opsdeploy_world (doc jsonb NOT NULL)")
        conn.execute("INSERT INTO opsdeploy_world (doc) VALUES (%s::jsonb)", [out.stdout.strip().splitlines()[-1]])
    import psycopg

    with pg_connect(server_url) as conn:  # renamed only once complete: a half-built template is never used
        try:
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        except psycopg.errors.DuplicateDatabase:  # a run beside this one built it first
            conn.execute(f'DROP DATABASE "{building}" WITH (FORCE)')
    return name


def drop_unless_in_use(conn, name: str) -> None:
    import psycopg

    try:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    except psycopg.errors.ObjectInUse:
        pass


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def template_hash() -> str:
    digest = hashlib.sha256(migrations_hash().encode())
    digest.update((ROOT / "tests" / "deploy" / "seed.py").read_bytes())
    return digest.hexdigest()[:12]


class RoundRobinProxy:
    """A tiny HTTP proxy sending each request to the next backend in turn (when nginx is not installed)."""

    def __init__(self, port: int, backends: list[int]):
        ring = itertools.cycle(backends)
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                if self.path.split("?")[0] == "/metrics":  # as the shipped nginx site: not for the public
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with lock:
                    backend = next(ring)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
                headers["X-Forwarded-For"] = self.client_address[0]
                headers["X-Forwarded-Proto"] = "http"
                conn = http.client.HTTPConnection("127.0.0.1", backend, timeout=60)
                conn.request(self.command, self.path, body or None, headers)
                answer = conn.getresponse()
                payload = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                conn.close()

            do_GET = do_POST = do_HEAD = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def nginx_site(tmp: Path, *, https_port: int, http_port: int, backends: list[int], cert: Path, key: Path) -> str:
    """Return the shipped site with local ports, paths and certificate, inside a minimal main configuration."""
    site = NGINX_SITE.read_text()
    upstreams = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in backends)
    site = re.sub(r"(upstream bkklib_web \{\n)(?:    server [^\n]+\n)+", lambda m: m.group(1) + upstreams, site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", "")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen [::]:443 ssl http2;", "")
    site = site.replace("/etc/ssl/certs/library.bangkok.go.th.pem", str(cert))
    site = site.replace("/etc/ssl/private/library.bangkok.go.th.key", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp}/nginx-")
    site = site.replace("/srv/bkklib/var/", f"{tmp}/var/").replace("/srv/bkklib/media/", f"{tmp}/media/")
    site = site.replace("server_name library.bangkok.go.th;", "server_name 127.0.0.1 localhost;")
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/nginx-main.error.log warn;\n"
            "daemon off;\nevents { worker_connections 256; }\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            f"    client_body_temp_path {tmp}/nginx-body; proxy_temp_path {tmp}/nginx-proxy;\n"
            f"    fastcgi_temp_path {tmp}/nginx-fastcgi; uwsgi_temp_path {tmp}/nginx-uwsgi;"
            f" scgi_temp_path {tmp}/nginx-scgi;\n"
            f"    access_log {tmp}/nginx-default.access.log;\n{site}\n}}\n")


def self_signed(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "tls.pem", tmp / "tls.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class Stack:
    """Two gunicorn nodes, one huey consumer, a proxy, one database and one Redis database."""

    def __init__(self, tmp: Path, *, pg_server: str, redis_url: str, nodes: int = 2, workers: int = 2,
                 email_port: int | None = None):
        self.tmp, self.pg_server, self.nodes_wanted, self.workers = tmp, pg_server, nodes, workers
        self.run = f"opsdeploy{os.getpid()}x{int(time.time()) % 100000}"
        self.dbname = f"bkklib_opsdeploy_run_{self.run}"
        self.redis_url = redis_url
        self.processes: dict[str, subprocess.Popen] = {}
        self.proxy: RoundRobinProxy | None = None
        self.node_ports: list[int] = []
        self.metrics_token = "ops-deploy-metrics-token"
        self.env = base_env(tmp)
        self.env.update({"REDIS_URL": redis_url, "HUEY_NAME": f"bkklib-{self.run}", "CACHE_KEY_PREFIX": self.run,
                         "BKKLIB_METRICS_TOKEN": self.metrics_token, "BKKLIB_TRUSTED_PROXIES": "1",
                         "EMAIL_URL": f"smtp://127.0.0.1:{email_port}" if email_port else "consolemail://"})
        self.nginx = shutil.which("nginx") or (Path("/usr/sbin/nginx") if Path("/usr/sbin/nginx").exists() else None)
        if os.environ.get("BKKLIB_DEPLOY_PROXY") == "python":  # the fallback, on a machine that has nginx
            self.nginx = None
        self.scheme = "https" if self.nginx else "http"
        self.proxy_port = free_port()
        self.base = f"{self.scheme}://127.0.0.1:{self.proxy_port}"
        self.ca: str | bool = True

    # --- database ------------------------------------------------------------------------------
    def create_database(self) -> None:
        template = ensure_template(self.pg_server, self.env)
        with pg_connect(self.pg_server) as conn:
            conn.execute(f'CREATE DATABASE "{self.dbname}" TEMPLATE "{template}"')
        self.env["DATABASE_URL"] = with_database(self.pg_server, self.dbname)

    def query(self, sql: str, params=()) -> list[tuple]:
        with pg_connect(self.pg_server, self.dbname) as conn:
            return conn.execute(sql, params).fetchall()

    def seed(self) -> dict:
        """Return the seeded world, its loans moved to today (the template may have been made days ago)."""
        world = self.query("SELECT doc FROM opsdeploy_world")[0][0]
        self.query("UPDATE circulation_loan SET checked_out_at = checked_out_at + (current_date - %s::date) * interval "
                   "'1 day', due_on = due_on + (current_date - %s::date) WHERE id = ANY(%s) RETURNING id",
                   [world["seeded_on"], world["seeded_on"], world["loans"]])
        return world

    # --- processes -----------------------------------------------------------------------------
    def _spawn(self, name: str, args: list[str], env: dict) -> None:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def start(self) -> None:
        csrf_origins = f"{self.base},http://127.0.0.1:{self.proxy_port}"
        self.env["CSRF_TRUSTED_ORIGINS"] = csrf_origins
        if self.scheme == "https":
            self.env.update({"SESSION_COOKIE_SECURE": "1", "CSRF_COOKIE_SECURE": "1"})
        for n in range(self.nodes_wanted):
            port = free_port()
            self.node_ports.append(port)
            env = {**self.env, "PROMETHEUS_MULTIPROC_DIR": str(self.tmp / f"metrics-{n}"),
                   "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(self.workers),
                   "GUNICORN_PROC_NAME": f"bkklib-{self.run}-web{n}"}
            self._spawn(f"web{n}", [PY, "-m", "gunicorn", "-c", str(GUNICORN_CONF)], env)
        self.worker_metrics_port = free_port()
        self._spawn("worker", [PY, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread"],
                    {**self.env, "BKKLIB_WORKER_METRICS_PORT": str(self.worker_metrics_port)})
        if self.nginx:
            cert, key = self_signed(self.tmp)
            self.ca = str(cert)
            conf = self.tmp / "nginx.conf"
            conf.write_text(nginx_site(self.tmp, https_port=self.proxy_port, http_port=free_port(),
                                       backends=self.node_ports, cert=cert, key=key))
            self._spawn("nginx", [str(self.nginx), "-c", str(conf), "-p", str(self.tmp)], self.env)
        else:
            self.proxy = RoundRobinProxy(self.proxy_port, self.node_ports)
            self.proxy.start()

    def wait_ready(self, timeout: float = 45.0) -> None:
        import requests

        deadline = time.monotonic() + timeout
        pending = [f"http://127.0.0.1:{p}/readyz" for p in self.node_ports] + [f"{self.base}/healthz"]
        while pending and time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited: {self.log(name)[-3000:]}")
            try:
                if requests.get(pending[0], timeout=5, verify=self.ca).status_code == 200:
                    pending.pop(0)
                    continue
            except requests.RequestException:
                pass
            time.sleep(0.3)
        if pending:
            raise RuntimeError(f"not ready: {pending}; web0: {self.log('web0')[-2000:]}")

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self.stop_times = {}
        # gunicorn: SIGINT is its quick shutdown; huey: SIGTERM is its immediate one; nginx: SIGTERM, fast.
        for name, proc in self.processes.items():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT if name.startswith("web") else signal.SIGTERM)
        for _name, proc in self.processes.items():
            try:
                t0 = time.monotonic()
                proc.wait(timeout=15)
                self.stop_times[_name] = round(time.monotonic() - t0, 1)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if self.proxy:
            self.proxy.stop()
        self.forget_redis()
        if "DATABASE_URL" in self.env:
            with pg_connect(self.pg_server) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    def forget_redis(self) -> None:
        """Delete this run's keys (its queue, its cache prefix) from Redis database 5; nobody else's."""
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            for pattern in (f"*{self.run}*",):
                keys = list(client.scan_iter(match=pattern, count=500))
                if keys:
                    client.delete(*keys)
        finally:
            client.close()
