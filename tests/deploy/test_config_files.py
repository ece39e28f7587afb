"""The shipped deployment files hold: nginx sites pass `nginx -t`, compose validates, the image runs as a
user, gunicorn's configuration loads, the systemd units name real files, the production profile keeps
nothing of a node's own, and the Grafana dashboard reads metrics the application exports."""
from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from .stack import ROOT, base_env, free_port, nginx_site, self_signed

DEPLOY = ROOT / "deploy"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found is None:
        pytest.skip("nginx is not installed (scripts/system-deps.sh installs nginx-light)")
    return found


def nginx_test(conf_text: str, tmp_path) -> subprocess.CompletedProcess:
    conf = tmp_path / "nginx.conf"
    conf.write_text(conf_text)
    return subprocess.run([nginx_binary(), "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)


def test_the_shipped_nginx_site_passes_nginx_t(tmp_path):
    nginx_binary()
    cert, key = self_signed(tmp_path)
    conf = nginx_site(tmp_path, https_port=free_port(), http_port=free_port(), backends=[free_port(), free_port()],
                      cert=cert, key=key)
    result = nginx_test(conf, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    site = (DEPLOY / "nginx" / "bkklib.conf").read_text()
    assert "proxy_set_header X-Request-ID $request_id;" in site
    assert re.search(r"location = /metrics \{\s*return 404;", site)
    assert "non_idempotent" not in site  # a POST (a checkout) is never sent to a second node


def test_the_compose_nginx_site_passes_nginx_t(tmp_path):
    site = (DEPLOY / "nginx" / "compose.conf").read_text()
    site = site.replace("web1:8000", f"127.0.0.1:{free_port()}").replace("web2:8000", f"127.0.0.1:{free_port()}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = (f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
            f"http {{\n include /etc/nginx/mime.types;\n client_body_temp_path {tmp_path}/body;\n"
            f" proxy_temp_path {tmp_path}/proxy;\n access_log {tmp_path}/access.log;\n{site}\n}}\n")
    result = nginx_test(conf, tmp_path)
    assert result.returncode == 0, result.stderr


def compose_cli() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_runs_two_web_nodes_a_worker_postgres_redis_and_nginx_sharing_only_what_they_must(tmp_path):
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web1", "web2", "worker", "postgres", "redis", "nginx", "migrate"} <= set(services)
    for name in ("web1", "web2", "worker", "migrate"):
        service = services[name]
        assert service["environment"]["DATABASE_URL"].startswith("postgres://"), name
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:"), name
        assert "media:/srv/bkklib/media" in service["volumes"], name  # the one shared file store
    for name in ("web1", "web2"):
        assert services[name]["command"][0] == "gunicorn"
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["worker"]["command"][:2] == ["bkklib", "run_huey"]
    cli = compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed: compose.yaml checked as YAML only")
    (tmp_path / "deploy" / "nginx").mkdir(parents=True)
    for name in ("compose.yaml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(DEPLOY / "compose.env.example", tmp_path / "deploy" / "compose.env")
    shutil.copy(DEPLOY / "nginx" / "compose.conf", tmp_path / "deploy" / "nginx" / "compose.conf")
    result = subprocess.run([*cli, "-f", str(tmp_path / "compose.yaml"), "config", "-q"], capture_output=True,
                            text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_image_is_debian_slim_runs_as_a_user_and_serves_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert stages and all("slim-bookworm" in image for image in stages)
    final = dockerfile.split("\nFROM ")[-1]
    assert re.search(r"^USER bkklib$", final, re.M)
    assert "collectstatic --no-input" in final
    assert 'CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]' in final
    assert "/healthz" in final
    assert "libicu72" in final  # PyICU's runtime library
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and "var" in ignored  # no local database or secret key in the image


def test_gunicorn_configuration_loads(tmp_path):
    env = {**base_env(tmp_path), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "GUNICORN_WORKERS": "2"}
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "--check-config",
                             "--print-config"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.M))
    assert printed["workers"] == "2"
    assert printed["wsgi_app"] == "bkklib.wsgi:application"
    assert printed["accesslog"] == "None"  # the application logs requests as JSON itself


@pytest.mark.parametrize("unit", ["bkklib-web@.service", "bkklib-huey.service", "bkklib-huey-extra.service"])
def test_systemd_units_read_the_environment_file_and_run_as_bkklib(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / unit)
    service = parser["Service"]
    assert service["User"] == "bkklib" and service["EnvironmentFile"] == "/etc/bkklib/bkklib.env"
    assert service["NoNewPrivileges"] == "true"
    if unit.startswith("bkklib-web"):
        assert "deploy/gunicorn.conf.py" in service["ExecStart"]
        assert "PROMETHEUS_MULTIPROC_DIR=/run/bkklib-web-%i/metrics" in service["Environment"]
    else:
        assert "run_huey" in service["ExecStart"]
    assert ("--no-periodic" in service["ExecStart"]) == (unit == "bkklib-huey-extra.service")


def test_the_production_profile_keeps_sessions_in_the_database_cache_and_queue_in_redis(tmp_path):
    env = {**base_env(tmp_path), "DATABASE_URL": "postgres://bkklib@db.internal:5432/bkklib",
           "REDIS_URL": "redis://redis.internal:6379/0", "MEDIA_ROOT": "/srv/bkklib/media"}
    env.update(line.split("=", 1) for line in (DEPLOY / "bkklib.env.example").read_text().splitlines()
               if line and not line.startswith("#") and line.split("=", 1)[0] in (
                   "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS"))
    env["SECRET_KEY"] = "x" * 20 + "Production-Profile-Test-Key-0123456789abcdef"
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({'sessions': s.SESSION_ENGINE, 'cache': s.CACHES['default']['BACKEND'], "
            "'huey': s.HUEY['huey_class'], 'media': str(s.MEDIA_ROOT), 'db': s.DATABASES['default']['ENGINE'], "
            "'formatter': s.LOGGING['formatters']['default'], 'level': s.LOGGING['root']['level']}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    profile = json.loads(result.stdout.strip().splitlines()[-1])
    assert profile == {
        "sessions": "django.contrib.sessions.backends.db", "cache": "django.core.cache.backends.redis.RedisCache",
        "huey": "huey.RedisHuey", "media": "/srv/bkklib/media", "db": "django.db.backends.postgresql",
        "formatter": {"()": "bkklib.core.logs.JsonFormatter"}, "level": "INFO"}
    check = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
                           capture_output=True, text=True, cwd=ROOT, env=env)
    assert check.returncode == 0, check.stderr
    assert "bkklib.E1" not in check.stderr


def test_the_grafana_dashboard_reads_metrics_the_application_exports():
    dashboard = json.loads((DEPLOY / "grafana" / "bkklib.json").read_text())
    exported = {"bkklib_http_request_duration_seconds", "bkklib_circulation_transactions_total",
                "bkklib_marc_import_records_total", "bkklib_marc_import_seconds_total", "bkklib_queue_depth"}
    expressions = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert expressions
    used = {name for expr in expressions for name in re.findall(r"bkklib_[a-z_]+", expr)}
    stems = {re.sub(r"_(bucket|count|sum)$", "", name) for name in used}
    assert stems <= exported, stems - exported
    assert exported <= stems  # every exported metric is on the dashboard
