"""Circulation under load: gunicorn on PostgreSQL and on SQLite, N concurrent HTTP clients, token auth.

Each backend gets its own bench database (never the test ones): PostgreSQL ``bkklib_bench_circ``
on the local server, SQLite ``var/bench/circulation/bkklib.sqlite3``. The catalog (default
100,000 items over 20,000 records, ten branches) and 50,000 patrons are bulk-created once and
reused. Then gunicorn serves the real app (audit history on, search index updated in each
transaction) and N client threads, each with a keep-alive ``http.client`` connection, run
checkout → renew → checkin cycles through ``/api/v1/circulation/`` at their own desk for a fixed
time. Afterwards one client compares checkout latency of a patron holding 400 loans with a
patron holding none. Prints one JSON document.

    .venv/bin/python bench/circulation.py                      # both backends, 8 clients, 20 s each
    .venv/bin/python bench/circulation.py --backends postgres --clients 8 --seconds 30
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_circ")
BRANCHES = 10
PASSWORD = "bench-circ-2568"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backend_env(backend: str) -> dict:
    var = ROOT / "var" / "bench" / f"circulation-{backend}"
    var.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
           "HUEY_IMMEDIATE": "0", "LOG_LEVEL": "ERROR"}
    env.pop("BKKLIB_TESTING", None)
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret")  # DEBUG off refuses to start without one
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


# --- Child: prepare the data (runs inside Django with the backend's environment) -----------------------

def prepare(items_wanted: int, patrons_wanted: int) -> dict:
    """Bulk-create the bench network, catalog and patrons if missing; return ids the load needs."""
    import django

    django.setup()
    from datetime import date
    from datetime import time as dtime

    from django.core.management import call_command
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bkklib.catalog.models import Item, ItemType, Record
    from bkklib.circulation.models import Loan, LoanPolicy, Patron, PatronCategory
    from bkklib.core import roles
    from bkklib.network.models import Assignment, Branch, District, OpeningPeriod, StaffMember

    started = time.monotonic()
    district = District.objects.order_by("code").first()
    branches = []
    for n in range(BRANCHES):
        branch, created = Branch.objects.get_or_create(
            code=f"bench{n:02d}", defaults={"name_th": f"ห้องสมุดทดสอบสมรรถนะ {n}", "kind": "public_library",
                                            "district": district, "is_demo": True})
        if created:  # open every day, so that due dates never wait for a weekday
            OpeningPeriod.objects.bulk_create([OpeningPeriod(branch=branch, weekday=d, opens_at=dtime(8),
                                                             closes_at=dtime(20)) for d in range(7)])
        branches.append(branch)
    book = ItemType.objects.get(code="book")
    adult = PatronCategory.objects.get(code="adult")
    LoanPolicy.objects.get_or_create(category=adult, branch=None, item_type=None,
                                     defaults={"max_loans": 1000, "renewals_allowed": 30000, "max_holds": 50,
                                               "note": "bench"})
    have_items = Item.objects.filter(barcode__startswith="B").count()
    if have_items < items_wanted:
        records_per_batch, per_record = 2000, 5
        n = have_items
        while n < items_wanted:
            with transaction.atomic():
                records = Record.objects.bulk_create([
                    Record(marc={"leader": "00000nam a2200000 i 4500",
                                 "fields": [{"245": {"ind1": "1", "ind2": "0",
                                                     "subfields": [{"a": f"หนังสือทดสอบสมรรถนะ เล่มที่ {n + k}"}]}}]},
                           title=f"หนังสือทดสอบสมรรถนะ เล่มที่ {n + k}", is_demo=True)
                    for k in range(0, records_per_batch * per_record, per_record)])
                batch = []
                for r_index, record in enumerate(records):
                    for c in range(per_record):
                        number = n + r_index * per_record + c
                        batch.append(Item(record=record, barcode=f"B{number:09d}", branch=branches[number % BRANCHES],
                                          item_type=book, is_demo=True))
                Item.objects.bulk_create(batch, batch_size=5000)
            n += records_per_batch * per_record
    have_patrons = Patron.objects.filter(card_number__startswith="P").count()
    if have_patrons < patrons_wanted:
        Patron.objects.bulk_create([
            Patron(card_number=f"P{k:09d}", category=adult, home_branch=branches[k % BRANCHES],
                   first_name_th="ผู้ทดสอบ", last_name_th=f"สมรรถนะ {k}", birth_date=date(1990, 1, 1),
                   card_expires_on=date(2099, 12, 31), is_demo=True, other_document="bench",
                   id_type=Patron.IdType.OTHER)
            for k in range(have_patrons, patrons_wanted)], batch_size=5000)
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username="benchdesk")
    user.set_password(PASSWORD)
    user.save()
    member, _created = StaffMember.objects.get_or_create(user=user, defaults={"employee_code": "BENCH01",
                                                                             "first_name_th": "เจ้าหน้าที่",
                                                                             "last_name_th": "ทดสอบ"})
    roles.sync_roles()
    user.groups.add(roles.group_for(roles.BRANCH_LIBRARIAN))
    for branch in branches:
        Assignment.objects.get_or_create(staff=member, branch=branch, defaults={"starts_on": date(2000, 1, 1)})
    token, _created = Token.objects.get_or_create(user=user)
    # Reset state from an earlier run: every bench item on the shelf, no open bench loans.
    with transaction.atomic():
        Loan.objects.filter(item__barcode__startswith="B", returned_at__isnull=True).update(
            returned_at=timezone.now(), end_reason="returned")
        Item.objects.filter(barcode__startswith="B").exclude(status="available").update(status="available")
    # The heavy patron: 400 open loans (bulk, as if lent over months).
    heavy = Patron.objects.get(card_number="P000000000")
    heavy_items = list(Item.objects.filter(barcode__startswith="B", branch=branches[0]).order_by("-barcode")[:400])
    now = timezone.now()
    Loan.objects.bulk_create([Loan(item=i, patron=heavy, branch=branches[0], checked_out_at=now,
                                   due_on=date(2099, 1, 1), item_type=book, patron_category=adult) for i in heavy_items])
    Item.objects.filter(pk__in=[i.pk for i in heavy_items]).update(status="on_loan")
    return {
        "token": token.key, "branches": [b.code for b in branches],
        "items": Item.objects.filter(barcode__startswith="B").count(),
        "patrons": Patron.objects.filter(card_number__startswith="P").count(),
        "heavy_card": heavy.card_number, "heavy_loans": Loan.objects.filter(patron=heavy, returned_at__isnull=True).count(),
        "heavy_items": {i.barcode for i in heavy_items}, "prepare_seconds": round(time.monotonic() - started, 1),
    }


# --- Load generator -----------------------------------------------------------------------------------

class Client:
    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                        "Accept-Language": "en"}

    def post(self, path: str, body: dict) -> tuple[int, float, dict]:
        data = json.dumps(body)
        started = time.perf_counter()
        try:
            self.conn.request("POST", path, data, self.headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        elapsed = (time.perf_counter() - started) * 1000
        return response.status, elapsed, json.loads(payload or b"{}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 1)


def summary(latencies: list[float]) -> dict:
    return {"count": len(latencies), "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0}


def load(port: int, info: dict, clients: int, seconds: float) -> dict:
    """Run ``clients`` threads doing checkout → renew → checkin cycles for ``seconds``."""
    ops = {"checkout": [], "renew": [], "checkin": []}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(clients)

    def worker(index: int):
        branch = info["branches"][index % len(info["branches"])]
        rng = random.Random(index)
        local = {"checkout": [], "renew": [], "checkin": []}
        client = Client(port, info["token"])
        barrier.wait()
        k = 0
        b, lane = index % BRANCHES, index // BRANCHES
        lanes = (clients + BRANCHES - 1) // BRANCHES
        per_branch = info["items"] // BRANCHES
        while time.monotonic() < stop:
            # This desk's own items (item n belongs to branch n mod 10), a lane per client: no two
            # clients ever scan the same barcode, as at real desks.
            barcode = f"B{b + BRANCHES * ((lane + lanes * k) % per_branch):09d}"
            k += 1
            if barcode in info["heavy_items"]:
                continue
            card = f"P{rng.randrange(1, info['patrons']):09d}"
            for op, body in (("checkout", {"item_barcode": barcode, "patron_card": card, "desk": branch}),
                             ("renew", {"item_barcode": barcode, "desk": branch}),
                             ("checkin", {"item_barcode": barcode, "desk": branch})):
                try:
                    status, ms, payload = client.post(f"/api/v1/circulation/{op}/", body)
                except Exception as exc:  # a dropped connection is a failed operation, counted
                    client = Client(port, info["token"])
                    with lock:
                        errors.append(f"{op}: {type(exc).__name__}")
                    break
                if status >= 300:
                    with lock:
                        errors.append(f"{op}: {status} {payload.get('code')}")
                    break
                local[op].append(ms)
        with lock:
            for op, values in local.items():
                ops[op].extend(values)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    total = sum(len(v) for v in ops.values())
    return {"clients": clients, "seconds": round(elapsed, 1), "transactions": total,
            "throughput_tx_per_s": round(total / elapsed, 1),
            "operations": {op: summary(v) for op, v in ops.items()},
            "errors": len(errors), "error_examples": sorted(set(errors))[:5]}


def heavy_vs_fresh(port: int, info: dict, rounds: int = 100) -> dict:
    """Return checkout latency for the 400-loan patron and for a patron with no loans (one client)."""
    client = Client(port, info["token"])
    branch = info["branches"][1]
    result = {}
    for label, card in (("fresh_patron", "P000000001"), ("patron_with_400_loans", info["heavy_card"])):
        times = []
        for k in range(rounds):
            barcode = f"B{(info['items'] // 2 + k * BRANCHES + 1):09d}"
            status, ms, payload = client.post("/api/v1/circulation/checkout/",
                                              {"item_barcode": barcode, "patron_card": card, "desk": branch})
            if status == 201:
                times.append(ms)
            client.post("/api/v1/circulation/checkin/", {"item_barcode": barcode, "desk": branch})
        result[label] = summary(times)
    fresh, heavy = result["fresh_patron"]["p50_ms"], result["patron_with_400_loans"]["p50_ms"]
    result["ratio_p50"] = round(heavy / fresh, 2) if fresh else None
    return result


def child(backend: str, args) -> dict:
    info = prepare(args.items, args.patrons)
    port = free_port()
    env = backend_env(backend)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bkklib.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--threads", str(args.threads), "--log-level", "error", "--timeout", "120"],
        cwd=ROOT, env=env)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Warm-up with every client: each gunicorn worker loads the Thai segmenter and opens its
        # database connection on its first requests; those seconds are not the steady state.
        load(port, info, args.clients, 12)
        result = load(port, info, args.clients, args.seconds)
        result["heavy_vs_fresh_checkout"] = heavy_vs_fresh(port, info)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update(backend=backend, items=info["items"], patrons=info["patrons"], heavy_loans=info["heavy_loans"],
                  prepare_seconds=info["prepare_seconds"], gunicorn={"workers": args.workers, "threads": args.threads},
                  audit="django-simple-history on every loan, item and fine change")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--patrons", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
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
            results.append({"backend": backend, "failed": run.stderr[-2000:]})
            continue
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
    print(json.dumps({"benchmark": "circulation", "cpu_count": os.cpu_count(), "results": results},
                     ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
