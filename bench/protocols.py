"""Standard protocols under load: SIP2 over loopback; OAI-PMH and SRU over HTTP (gunicorn), on PostgreSQL.

``--part sip2``: N self-check terminals check items out and in (figures: transactions/s, p50/p95).
``--part oai``: a full ListRecords marc21 harvest of the catalog by resumption tokens while another
process edits records all along; every id must come exactly once (figures: records/s, duplicates,
missing). ``--part sru``: searchRetrieve of the search bench's query list as CQL, 10 records each
(p50/p95). The OAI and SRU parts use a catalog of ``--records`` built by bench/search.py (reused
when it is there).

The bench database is PostgreSQL ``bkklib_bench_protocols`` (never a test database). Items,
patrons and one terminal per client are created once; the SIP2 server runs as
``bkklib sip2_server --processes P`` (the production command) and N client threads, each a
logged-in terminal on its own TCP connection, check items out and back in for a fixed time
with checksums on. Every checkout and every checkin is one transaction. Prints one JSON document.

    .venv/bin/python bench/protocols.py                      # 8 terminals, 20 s, 2 server processes
    .venv/bin/python bench/protocols.py --clients 8 --seconds 30 --processes 2
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.circulation import free_port, percentile  # noqa: E402
from bench.machine import calibration  # noqa: E402

PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_protocols")
# OAI-PMH and SRU run on a catalog built by bench/search.py, which wants a database of its own.
CATALOG_URL = PG_URL + "_catalog"
PASSWORD = "bench-sip2-2568"
ITEMS_PER_TERMINAL = 40


def ensure_pg_database(url: str = PG_URL) -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def env(url: str = PG_URL) -> dict:
    var = ROOT / "var" / "bench" / "protocols"
    var.mkdir(parents=True, exist_ok=True)
    values = {**os.environ, "BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
              "HUEY_IMMEDIATE": "1", "LOG_LEVEL": "ERROR", "DATABASE_URL": url}
    values.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    values.pop("BKKLIB_TESTING", None)
    return values


def prepare(terminals: int) -> dict:
    """(Child process) Create the branch, items, patrons and terminals once; reset loans; return the plan."""
    import django

    django.setup()
    from datetime import date
    from datetime import time as dtime

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from bkklib.catalog.models import Item, ItemType, Record
    from bkklib.circulation.models import Loan, LoanPolicy, Patron, PatronCategory
    from bkklib.core import roles
    from bkklib.interop import services
    from bkklib.interop.models import Sip2Terminal
    from bkklib.network.models import Branch, District, OpeningPeriod

    roles.sync_roles()
    district = District.objects.order_by("code").first()
    branch, created = Branch.objects.get_or_create(code="sipbench", defaults={
        "name_th": "ห้องสมุดทดสอบ SIP2", "kind": "public_library", "district": district, "is_demo": True})
    if created:
        OpeningPeriod.objects.bulk_create([OpeningPeriod(branch=branch, weekday=d, opens_at=dtime(0),
                                                         closes_at=dtime(23, 59)) for d in range(7)])
    book = ItemType.objects.get(code="book")
    adult = PatronCategory.objects.get(code="adult")
    LoanPolicy.objects.get_or_create(category=adult, branch=branch, item_type=None,
                                     defaults={"max_loans": 1000, "renewals_allowed": 100, "note": "bench"})
    wanted = terminals * ITEMS_PER_TERMINAL
    have = Item.objects.filter(barcode__startswith="S").count()
    if have < wanted:
        with transaction.atomic():
            records = Record.objects.bulk_create([
                Record(marc={"leader": "00000nam a2200000 i 4500", "fields": []}, title=f"หนังสือทดสอบ SIP2 {n}",
                       is_demo=True) for n in range(have, wanted)])
            Item.objects.bulk_create([Item(record=r, barcode=f"S{have + k:09d}", branch=branch, item_type=book,
                                           is_demo=True) for k, r in enumerate(records)])
    for n in range(terminals):
        Patron.objects.get_or_create(card_number=f"Q{n:09d}", defaults={
            "category": adult, "home_branch": branch, "first_name_th": "ผู้ทดสอบ", "last_name_th": f"SIP2 {n}",
            "birth_date": date(1990, 1, 1), "card_expires_on": date(2099, 12, 31), "is_demo": True,
            "other_document": "bench", "id_type": Patron.IdType.OTHER})
        if not Sip2Terminal.objects.filter(login=f"bench{n}").exists():
            services.create_terminal(login=f"bench{n}", password=PASSWORD, name=f"bench {n}", branch=branch)
    with transaction.atomic():
        Loan.objects.filter(item__barcode__startswith="S", returned_at__isnull=True).update(
            returned_at=timezone.now(), end_reason="returned")
        Item.objects.filter(barcode__startswith="S").update(status="available")
    barcodes = list(Item.objects.filter(barcode__startswith="S").order_by("barcode").values_list("barcode", flat=True))
    return {"barcodes": barcodes[:wanted]}


def frame(body: str, sequence: int) -> bytes:
    data = f"{body}AY{sequence % 10}AZ".encode()
    return data + f"{(-sum(data)) & 0xFFFF:04X}".encode() + b"\r"


class Terminal:
    def __init__(self, port: int, login: str):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buffer, self.seq = b"", 0
        assert self.send(f"9300CN{login}|CO{PASSWORD}|").startswith(b"941")

    def send(self, body: str) -> bytes:
        self.seq += 1
        self.sock.sendall(frame(body, self.seq))
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        reply, self.buffer = self.buffer.split(b"\r", 1)
        return reply


def load(port: int, clients: int, seconds: float, barcodes: list[str]) -> dict:
    stamp = time.strftime("%Y%m%d    %H%M%S")
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(clients)

    def run(n: int):
        terminal = Terminal(port, f"bench{n}")
        mine = barcodes[n * ITEMS_PER_TERMINAL:(n + 1) * ITEMS_PER_TERMINAL]
        card = f"Q{n:09d}"
        barrier.wait()
        i = 0
        while time.monotonic() < stop:
            barcode = mine[i % len(mine)]
            i += 1
            for body, ok in ((f"11NN{stamp}{' ' * 18}AOBKKLIB|AA{card}|AB{barcode}|AC|", b"121"),
                             (f"09N{stamp}{stamp}APsipbench|AOBKKLIB|AB{barcode}|AC|", b"101")):
                started = time.perf_counter()
                reply = terminal.send(body)
                latencies[n].append((time.perf_counter() - started) * 1000)
                if not reply.startswith(ok):
                    failures[n] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    flat = [x for per in latencies for x in per]
    return {"transactions": len(flat), "transactions_per_s": round(len(flat) / elapsed, 1),
            "p50_ms": percentile(flat, 50), "p95_ms": percentile(flat, 95), "refused": sum(failures)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--part", choices=("sip2", "oai", "sru", "all"), default="all")
    parser.add_argument("--records", type=int, default=100_000, help="catalog size for the OAI and SRU parts")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.clients)))
        return
    ensure_pg_database()
    out = {"bench": "protocols", "backend": "postgresql", "cpu_calibration": calibration()}
    if args.part in ("oai", "sru", "all"):
        out["catalog"] = build_catalog(args.records)
        with gunicorn() as port:
            if args.part in ("oai", "all"):
                out["oai"] = harvest(port)
            if args.part in ("sru", "all"):
                out["sru"] = sru_queries(port)
    if args.part not in ("sip2", "all"):
        out["load_average"] = os.getloadavg()
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    values = env()
    plan = json.loads(subprocess.run([sys.executable, __file__, "--prepare", "--clients", str(args.clients)],
                                     env=values, cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    port = free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "sip2_server", "--port", str(port), "--processes",
                               str(args.processes)], env=values, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()  # "SIP2 server on ..."
        result = load(port, args.clients, args.seconds, plan["barcodes"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    out["sip2"] = {"clients": args.clients, "seconds": args.seconds, "server_processes": args.processes, **result}
    out["load_average"] = os.getloadavg()
    print(json.dumps(out, indent=2, ensure_ascii=False))


# --- OAI-PMH and SRU ---------------------------------------------------------------------------------

def build_catalog(records: int) -> dict:
    """Build (or reuse) a synthetic catalog of ``records`` with bench/search.py (the real import path)."""
    started = time.monotonic()
    ensure_pg_database(CATALOG_URL)
    values = env(CATALOG_URL)
    run = subprocess.run([sys.executable, "bench/search.py", "--n", str(records), "--reuse", "--rounds", "1"],
                         env=values, cwd=ROOT, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr[-2000:])
    return {"records": records, "seconds": round(time.monotonic() - started, 1)}


class gunicorn:
    """The real app under gunicorn (2 workers) on a free port, for the HTTP parts."""

    def __enter__(self) -> int:
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "bkklib.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "2",
             "--timeout", "120", "--log-level", "warning"],
            env={**env(CATALOG_URL), "ALLOWED_HOSTS": "127.0.0.1,localhost"},
            cwd=ROOT)
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self.port
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def editor(stop: threading.Event, counts: list[int]) -> None:
    """Edit random records (a title change, a new updated_at) until ``stop``, as cataloguers would."""
    import random as _random
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(CATALOG_URL)
    rng = _random.Random(7)
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         dbname=parts.path.lstrip("/"), autocommit=True) as conn:
        low, high = conn.execute("SELECT min(id), max(id) FROM catalog_record").fetchone()
        while not stop.is_set():
            conn.execute("UPDATE catalog_record SET title = title || '', updated_at = now() WHERE id = %s",
                         [rng.randint(low, high)])
            counts[0] += 1
            time.sleep(0.002)


def harvest(port: int) -> dict:
    import http.client
    import re
    from urllib.parse import quote

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    ids: list[int] = []
    token, pages = None, 0
    stop, edits = threading.Event(), [0]
    thread = threading.Thread(target=editor, args=(stop, edits))
    thread.start()
    started = time.perf_counter()
    try:
        while True:
            query = f"resumptionToken={quote(token)}" if token else "metadataPrefix=marc21"
            conn.request("GET", f"/oai?verb=ListRecords&{query}")
            body = conn.getresponse().read().decode("utf-8")
            pages += 1
            ids += [int(x) for x in re.findall(r"<identifier>oai:[^<]*:(\d+)</identifier>", body)]
            found = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
            if not found:
                break
            token = found.group(1)
    finally:
        stop.set()
        thread.join()
    elapsed = time.perf_counter() - started
    return {"records": len(ids), "pages": pages, "seconds": round(elapsed, 1),
            "records_per_s": round(len(ids) / elapsed, 1), "duplicates": len(ids) - len(set(ids)),
            "edits_during_harvest": edits[0]}


def sru_queries(port: int) -> dict:
    import http.client
    from urllib.parse import urlencode

    sys.path.insert(0, str(ROOT / "bench"))
    queries = []
    for line in (ROOT / "bench" / "search_queries.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text = line.split("\t")[1].strip()
        field, sep, rest = text.partition(":")
        index = {"title": "dc.title", "author": "dc.creator", "subject": "dc.subject", "isbn": "bath.isbn"}.get(field)
        term = rest if (sep and index) else text
        term = term.replace('"', " ").strip()
        if term:
            queries.append(f'{index or "cql.anywhere"} all "{term}"')
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors = [], 0
    for round_ in range(2):
        for cql in queries:
            started = time.perf_counter()
            conn.request("GET", "/sru?" + urlencode({"version": "1.2", "operation": "searchRetrieve", "query": cql,
                                                     "maximumRecords": "10", "recordSchema": "marcxml"}))
            body = conn.getresponse().read()
            if round_:  # the first pass warms the caches and is discarded
                latencies.append((time.perf_counter() - started) * 1000)
                errors += b"diagnostic>" in body
    return {"queries": len(queries), "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "diagnostics": errors}


if __name__ == "__main__":
    main()
