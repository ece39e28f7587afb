"""A registration rush on PostgreSQL: 1,000 requests from 50 clients for a 100-place session.

gunicorn serves the real app on its own bench database (``bkklib_events_bench``, never a test
one); 1,000 patrons exist. 50 client threads, each with a keep-alive ``http.client`` connection
and a staff token, are released together by a barrier and each sends 20 registrations in turn
(``POST /api/v1/events/register/``, a different card each). Afterwards the database is read back:
exactly 100 registered, 900 waitlisted, positions 1..1000 without gap, the 100 places going to
positions 1..100, and each client's own registrations in the order it sent them (the waiting list
is in arrival order). Prints one JSON document with latency percentiles and the machine's
calibration (bench/machine.py).

    .venv/bin/python bench/events.py                       # 50 clients × 20 requests, 100 places
    .venv/bin/python bench/events.py --clients 50 --requests 1000 --places 100 --workers 8
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
PG_URL = os.environ.get("BKKLIB_BENCH_EVENTS_URL", "postgres://postgres@127.0.0.1:5432/bkklib_events_bench")
PASSWORD = "bench-events-2569"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env() -> dict:
    var = ROOT / "var" / "bench" / "events"
    var.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
           "HUEY_IMMEDIATE": "0", "LOG_LEVEL": "ERROR", "DATABASE_URL": PG_URL}
    env.pop("BKKLIB_TESTING", None)
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    return env


def ensure_database() -> None:
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(PG_URL)
    name = url.path.lstrip("/")
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(requests: int, places: int) -> dict:
    """Migrate, then (re)create the bench branch, librarian, patrons and a fresh session; return ids."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from bkklib.circulation.models import Patron, PatronCategory
    from bkklib.core import roles
    from bkklib.events.models import Activity, Session
    from bkklib.network.models import Assignment, Branch, District, StaffMember

    call_command("migrate", verbosity=0, interactive=False)
    roles.sync_roles()
    branch, _ = Branch.objects.get_or_create(code="bench-events", defaults={
        "name_th": "ห้องสมุดทดสอบความเร็ว", "kind": Branch.Kind.PUBLIC_LIBRARY,
        "district": District.objects.order_by("code").first()})
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(username="bench-events")
    if created:
        user.set_password(PASSWORD)
        user.save()
        member = StaffMember.objects.create(user=user, employee_code="BENCH-EV", first_name_th="ทดสอบ",
                                            last_name_th="ความเร็ว")
        Assignment.objects.create(staff=member, branch=branch, starts_on=timezone.localdate() - timedelta(days=1))
        user.groups.add(roles.group_for(roles.BRANCH_LIBRARIAN))
    adult = PatronCategory.objects.get(code="adult")
    have = Patron.objects.filter(card_number__startswith="E").count()
    Patron.objects.bulk_create([
        Patron(card_number=f"E{n:09d}", first_name_th="ผู้อ่าน", last_name_th=f"ทดสอบ{n}", category=adult,
               home_branch=branch, card_expires_on=timezone.localdate() + timedelta(days=365))
        for n in range(have + 1, requests + 1)])
    activity = Activity.objects.create(title="ทดสอบการลงทะเบียนพร้อมกัน", branch=branch, capacity=places,
                                       waitlist=True, status=Activity.Status.PUBLISHED)
    start = timezone.now() + timedelta(days=3)
    session = Session.objects.create(activity=activity, starts_at=start, ends_at=start + timedelta(hours=2))
    solo = Session.objects.create(activity=activity, starts_at=start + timedelta(days=1),
                                  ends_at=start + timedelta(days=1, hours=2))
    token, _ = Token.objects.get_or_create(user=user)
    return {"token": token.key, "session": session.pk, "solo_session": solo.pk}


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers (as bench/opac.py)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == master_pid or int(fields[1]) == master_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def solo(port: int, info: dict, n: int = 50) -> dict:
    """One client, one request at a time, on a second session: the latency without any queue."""
    client = Client(port, info["token"])
    times = []
    for k in range(n):
        status, ms, _data = client.post("/api/v1/events/register/",
                                        {"session": info["solo_session"], "patron_card": f"E{k + 1:09d}"})
        if status == 201:
            times.append(ms)
    return {"requests": len(times), "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}


class Client:
    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                        "Accept-Language": "th"}

    def post(self, path: str, body: dict) -> tuple[int, float, dict]:
        started = time.perf_counter()
        self.conn.request("POST", path, json.dumps(body), self.headers)
        response = self.conn.getresponse()
        payload = response.read()
        ms = (time.perf_counter() - started) * 1000
        try:
            data = json.loads(payload)
        except ValueError:
            data = {}
        return response.status, ms, data


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 1) if ordered else 0.0


def rush(port: int, info: dict, clients: int, requests: int) -> dict:
    per_client = requests // clients
    results: list[list[tuple]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients)

    def worker(index: int):
        client = Client(port, info["token"])
        barrier.wait()
        for k in range(per_client):
            card = f"E{index * per_client + k + 1:09d}"
            try:
                status, ms, data = client.post("/api/v1/events/register/",
                                               {"session": info["session"], "patron_card": card})
            except Exception as exc:  # a dropped connection is a failure, counted
                results[index].append((0, 0.0, {"error": type(exc).__name__}))
                client = Client(port, info["token"])
                continue
            results[index].append((status, ms, data))

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    flat = [r for rows in results for r in rows]
    latencies = [ms for status, ms, _ in flat if status]
    statuses: dict[str, int] = {}
    for status, _, _ in flat:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    in_order = all(
        [d.get("position") for _, _, d in rows] == sorted(d.get("position") or 0 for _, _, d in rows) for rows in results)
    return {"clients": clients, "requests": len(flat), "seconds": round(elapsed, 2),
            "throughput_req_per_s": round(len(flat) / elapsed, 1), "statuses": statuses,
            "server_errors_5xx": sum(n for s, n in statuses.items() if s.startswith("5") or s == "0"),
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99), "max_ms": round(max(latencies), 1) if latencies else 0.0,
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
            "each_client_in_its_own_order": in_order}


def check(session_id: int, places: int, requests: int) -> dict:
    from bkklib.events.models import Registration

    rows = list(Registration.objects.filter(session_id=session_id).order_by("position")
                .values_list("position", "status"))
    positions = [p for p, _ in rows]
    registered = [p for p, s in rows if s == "registered"]
    return {"registrations": len(rows), "registered": len(registered),
            "waitlisted": sum(1 for _, s in rows if s == "waitlisted"),
            "positions_contiguous": positions == list(range(1, requests + 1)),
            "places_went_to_first_arrivals": registered == list(range(1, places + 1))}


def child(args) -> dict:
    info = prepare(args.requests, args.places)
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bkklib.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--threads", "1", "--log-level", "error", "--timeout", "120"],
        cwd=ROOT, env=bench_env())
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        warm = Client(port, info["token"])  # each worker loads the app on its first requests
        for _ in range(args.workers * 3):
            warm.conn.request("GET", "/api/v1/festivals/", headers=warm.headers)
            warm.conn.getresponse().read()
        load_before = os.getloadavg()[0]
        cpu_before = server_cpu_seconds(server.pid)
        result = rush(port, info, args.clients, args.requests)
        cpu = server_cpu_seconds(server.pid) - cpu_before
        result["server_cpu_ms_per_request"] = round(1000 * cpu / max(1, result["requests"]), 1)
        result["machine_load_average"] = {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1),
                                          "cores": os.cpu_count()}
        result["one_client_no_queue"] = solo(port, info)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["database"] = check(info["session"], args.places, args.requests)
    result.update(places=args.places, gunicorn_workers=args.workers, backend="postgres")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.environ.update(bench_env())
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args), ensure_ascii=False))
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from machine import calibration

    ensure_database()
    out = subprocess.run([sys.executable, __file__, "--child", "--clients", str(args.clients), "--requests",
                          str(args.requests), "--places", str(args.places), "--workers", str(args.workers)],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        print(out.stderr, file=sys.stderr)
        return out.returncode
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["cpu_calibration"] = calibration()
    targets = {"exactly_places_registered": result["database"]["registered"] == args.places,
               "no_5xx": result["server_errors_5xx"] == 0, "p95_le_300_ms": result["p95_ms"] <= 300}
    result["targets_met"] = targets
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if all(targets.values()) and result["database"]["positions_contiguous"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
