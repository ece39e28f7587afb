"""Spaces: the availability grid of a busy branch-week, and parallel bookings over HTTP; print JSON figures.

Each backend gets its own bench database (never the test ones): PostgreSQL ``bkklib_bench_spaces``
on the local server, SQLite ``var/bench/spaces-sqlite/bkklib.sqlite3``. One branch (open every day
08–20) gets 40 spaces and 10,000 existing bookings around the measured week (about a third of them
in it), bulk-created once and reused.

1. Grid: ``queries.availability`` for the branch-week (40 spaces × 7 days × 12 hour slots) timed
   in-process 200 times, and the whole public page ``/spaces/<branch>/?view=week`` rendered through
   Django's test client 100 times: p50 / p95.
2. Bookings: gunicorn serves the real app; 8 client threads, each with a keep-alive connection and
   a staff token, book distinct slots (their own spaces, one hour each, moving forward) through
   ``POST /api/v1/spaces/bookings/`` for a fixed time after a warm-up: bookings/s and latency.

    .venv/bin/python bench/spaces.py                      # both backends
    .venv/bin/python bench/spaces.py --backends postgres --seconds 20
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_spaces")
SPACES = 40
BOOKINGS = 10_000
PASSWORD = "bench-spaces-2568"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backend_env(backend: str) -> dict:
    var = ROOT / "var" / "bench" / f"spaces-{backend}"
    var.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
           "HUEY_IMMEDIATE": "0", "LOG_LEVEL": "ERROR"}
    env.pop("BKKLIB_TESTING", None)
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    if backend == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env.pop("DATABASE_URL", None)
    return env


def ensure_pg_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(PG_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 1)


def summary(latencies: list[float]) -> dict:
    return {"count": len(latencies), "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0}


# --- Child: data and the grid (inside Django with the backend's environment) ------------------------------

def prepare() -> dict:
    import django

    django.setup()
    from datetime import date, datetime, timedelta
    from datetime import time as dtime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from bkklib.circulation.models import Patron, PatronCategory
    from bkklib.core import roles
    from bkklib.network.models import Assignment, Branch, District, OpeningPeriod, StaffMember
    from bkklib.spaces import queries
    from bkklib.spaces.models import Booking, Space, SpaceRule

    call_command("migrate", verbosity=0, interactive=False)
    started = time.monotonic()
    branch, created = Branch.objects.get_or_create(
        code="benchspaces", defaults={"name_th": "ห้องสมุดทดสอบสมรรถนะพื้นที่", "kind": "public_library",
                                      "district": District.objects.order_by("code").first(), "is_demo": True})
    if created:
        OpeningPeriod.objects.bulk_create([OpeningPeriod(branch=branch, weekday=d, opens_at=dtime(8),
                                                         closes_at=dtime(20)) for d in range(7)])
    SpaceRule.objects.get_or_create(branch=branch, kind="", defaults={
        "window_days": 400, "max_hours_per_day": 24, "max_hours_per_week": 168})
    for n in range(SPACES):
        Space.objects.get_or_create(branch=branch, code=f"s{n:02d}", defaults={
            "name_th": f"พื้นที่ทดสอบ {n}", "kind": "desk" if n < 30 else "meeting_room", "capacity": 1 if n < 30 else 8,
            "is_demo": True})
    spaces = list(Space.objects.filter(branch=branch).order_by("code"))
    adult = PatronCategory.objects.get(code="adult")
    if Patron.objects.filter(card_number__startswith="S").count() < 2000:
        Patron.objects.bulk_create([
            Patron(card_number=f"S{k:09d}", category=adult, home_branch=branch, first_name_th="ผู้ทดสอบ",
                   last_name_th=f"พื้นที่ {k}", birth_date=date(1990, 1, 1), card_expires_on=date(2099, 12, 31),
                   is_demo=True, other_document="bench", id_type=Patron.IdType.OTHER)
            for k in range(2000)], batch_size=2000, ignore_conflicts=True)
    patrons = list(Patron.objects.filter(card_number__startswith="S").order_by("card_number").values_list("pk",
                                                                                                          flat=True))
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)  # next week: every slot still ahead
    # The fixed bookings around the measured week; the HTTP load books far ahead (from +60 days).
    Booking.objects.filter(branch=branch, starts_at__gte=queries.aware(datetime.combine(
        monday + timedelta(days=50), dtime()))).delete()
    existing = Booking.objects.filter(branch=branch).count()
    if existing < BOOKINGS:
        rows, k = [], 0
        first = monday - timedelta(days=14)
        for day_offset in range(35):
            day = first + timedelta(days=day_offset)
            for space in spaces:
                for hour in range(8, 20):
                    if k >= BOOKINGS:
                        break
                    if (hour + day_offset + space.pk) % 3:  # about a third of the slots are taken
                        continue
                    start = queries.aware(datetime.combine(day, dtime(hour)))
                    rows.append(Booking(space=space, branch=branch, patron_id=patrons[k % len(patrons)], kind="online",
                                        status="confirmed", starts_at=start, ends_at=start + timedelta(hours=1),
                                        created_at=timezone.now(), is_demo=True))
                    k += 1
        # Top up to the target with bookings in the weeks before (history).
        day = first - timedelta(days=1)
        while k < BOOKINGS:
            for space in spaces:
                for hour in range(8, 20, 2):
                    if k >= BOOKINGS:
                        break
                    start = queries.aware(datetime.combine(day, dtime(hour)))
                    rows.append(Booking(space=space, branch=branch, patron_id=patrons[k % len(patrons)],
                                        kind="online", status="checked_in", starts_at=start,
                                        ends_at=start + timedelta(hours=1), checked_in_at=start,
                                        created_at=start, is_demo=True))
                    k += 1
            day -= timedelta(days=1)
        Booking.objects.filter(branch=branch).delete()
        Booking.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh statistics after the bulk load, as autovacuum would give
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE spaces_booking")
    user, _created = get_user_model().objects.get_or_create(username="benchspaces")
    user.set_password(PASSWORD)
    user.save()
    member, _created = StaffMember.objects.get_or_create(user=user, defaults={
        "employee_code": "BENCHSP", "first_name_th": "เจ้าหน้าที่", "last_name_th": "ทดสอบพื้นที่"})
    roles.sync_roles()
    user.groups.add(roles.group_for(roles.BRANCH_LIBRARIAN))
    Assignment.objects.get_or_create(staff=member, branch=branch, defaults={"starts_on": date(2000, 1, 1)})
    token, _created = Token.objects.get_or_create(user=user)
    return {"branch": branch.code, "branch_id": branch.pk, "monday": monday.isoformat(), "token": token.key,
            "spaces": [s.pk for s in spaces], "cards": [f"S{k:09d}" for k in range(2000)],
            "bookings": Booking.objects.filter(branch=branch).count(),
            "bookings_in_week": Booking.objects.filter(
                branch=branch, starts_at__gte=queries.aware(datetime.combine(monday, dtime())),
                starts_at__lt=queries.aware(datetime.combine(monday + timedelta(days=7), dtime()))).count(),
            "prepare_seconds": round(time.monotonic() - started, 1)}


def grid(info: dict, rounds: int = 200) -> dict:
    from datetime import date

    from django.test import Client
    from django.utils import timezone

    from bkklib.network.models import Branch
    from bkklib.spaces import queries

    branch = Branch.objects.get(pk=info["branch_id"])
    monday = date.fromisoformat(info["monday"])
    times, cpu, cells, free = [], [], 0, 0
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = queries.availability(branch, monday, 7, now=timezone.now())
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    for row in result.rows:
        for _day, day_cells in row.days:
            cells += len(day_cells)
            free += sum(c.state == "free" for c in day_cells)
    client = Client()
    page_times, page_cpu = [], []
    url = f"/spaces/{branch.code}/?view=week&date={info['monday']}"
    for _ in range(100):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        page_times.append((time.perf_counter() - started) * 1000)
        page_cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return {"query": summary(times), "query_cpu_of_this_process": summary(cpu), "page": summary(page_times),
            "page_cpu_of_this_process": summary(page_cpu), "spaces": len(result.rows), "cells": cells,
            "free_cells": free}


# --- Load generator ------------------------------------------------------------------------------------

class Client:
    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                        "Accept-Language": "en"}

    def post(self, path: str, body: dict) -> tuple[int, float, dict]:
        started = time.perf_counter()
        try:
            self.conn.request("POST", path, json.dumps(body), self.headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        return response.status, (time.perf_counter() - started) * 1000, json.loads(payload or b"{}")


def load(port: int, info: dict, clients: int, seconds: float, first_day: int) -> dict:
    """``clients`` threads book distinct slots: client i books its own spaces, hour after hour, day after day."""
    from datetime import date, timedelta

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    stop = [0.0]
    start_day = date.fromisoformat(info["monday"]) + timedelta(days=first_day)
    per_client = len(info["spaces"]) // clients

    def worker(index: int):
        client = Client(port, info["token"])
        mine = info["spaces"][index * per_client:(index + 1) * per_client]
        local, k = [], 0
        barrier.wait()
        if index == 0:
            stop[0] = time.monotonic() + seconds
        while not stop[0]:
            time.sleep(0.001)
        while time.monotonic() < stop[0]:
            space = mine[k % len(mine)]
            slot = k // len(mine)
            day = start_day + timedelta(days=slot // 12)
            hour = 8 + slot % 12
            body = {"space": space, "card": info["cards"][(index * 250 + k) % len(info["cards"])],
                    "starts_at": f"{day.isoformat()}T{hour:02d}:00:00+07:00",
                    "ends_at": f"{day.isoformat()}T{hour + 1:02d}:00:00+07:00"}
            k += 1
            try:
                status, ms, payload = client.post("/api/v1/spaces/bookings/", body)
            except Exception as exc:  # a dropped connection is a failed booking, counted
                client = Client(port, info["token"])
                with lock:
                    errors.append(type(exc).__name__)
                continue
            if status != 201:
                with lock:
                    errors.append(f"{status} {payload.get('code')}")
                continue
            local.append(ms)
        with lock:
            latencies.extend(local)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"clients": clients, "seconds": round(elapsed, 1), "bookings": len(latencies),
            "bookings_per_s": round(len(latencies) / seconds, 1), "latency": summary(latencies),
            "errors": len(errors), "error_examples": sorted(set(errors))[:5]}


def tree_cpu_seconds(root: int) -> float:
    """Return the user+system CPU seconds of ``root`` and its child processes so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == root or int(fields[1]) == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def child(backend: str, args) -> dict:
    from machine import calibration

    info = prepare()
    result = {"backend": backend, "bookings_existing": info["bookings"], "bookings_in_week": info["bookings_in_week"],
              "prepare_seconds": info["prepare_seconds"], "grid_branch_week": grid(info)}
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bkklib.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--threads", "1", "--log-level", "error", "--timeout", "120"],
        cwd=ROOT, env=backend_env(backend))
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        load(port, info, args.clients, 8, first_day=60)  # warm-up: workers open connections, fill caches
        cpu_before = tree_cpu_seconds(server.pid)
        result["http_bookings"] = load(port, info, args.clients, args.seconds, first_day=120)
        made = result["http_bookings"]["bookings"]
        # The web tier's own CPU per booking does not depend on how loaded the shared machine is.
        result["http_bookings"]["server_cpu_ms_per_booking"] = round(
            (tree_cpu_seconds(server.pid) - cpu_before) * 1000 / made, 1) if made else None
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["gunicorn"] = {"workers": args.workers, "threads": 1}
    result["cpu_calibration"] = calibration()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.environ.update(backend_env(args.child))
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.child, args), ensure_ascii=False))
        return 0
    results = []
    for backend in args.backends.split(","):
        if backend == "postgres":
            try:
                ensure_pg_database()
            except Exception as exc:  # no server: say so in the figures rather than fail the whole bench
                results.append({"backend": backend, "skipped": f"PostgreSQL not reachable: {exc}"})
                continue
        run = subprocess.run([sys.executable, __file__, "--child", backend, *sys.argv[1:]], cwd=ROOT,
                             env=backend_env(backend), capture_output=True, text=True)
        if run.returncode != 0:
            results.append({"backend": backend, "failed": run.stderr[-3000:]})
            continue
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
    print(json.dumps({"benchmark": "spaces", "cpu_count": os.cpu_count(), "results": results},
                     ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
