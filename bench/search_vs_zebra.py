"""bkklib's search over HTTP beside Zebra's (Koha's classic engine) over Z39.50, in one run; print JSON.

Both engines get the same synthetic catalog and the same queries (docs/performance.md, "Search ahead
of Zebra"):

1. the ISO 2709 files of bench/search.py's generator (made once, kept under var/bench/) are imported
   into bkklib through the catalog's MARC import (``bench/search.build``), unless the database already
   holds exactly ``--n`` records;
2. Zebra indexes the same files (bench/search_zebra.py: DOM filter, ICU chains with ICU's Thai word
   break, relevance ranking), unless its register under var/bench/ already holds them;
3. gunicorn serves bkklib (one sync worker, the production WSGI app, DEBUG off) and zebrasrv serves
   the register, both on 127.0.0.1;
4. every query of bench/search_queries.tsv (its query text; the line's filters are not used, Zebra's
   register has no branch or availability data) is asked of:
   - bkklib's API: ``GET /api/v1/records/?q=...&page_size=20`` (search + the 20 records' JSON),
   - bkklib's OPAC results page: ``GET /search/?q=...`` (HTML: 20 records, availability, facets),
   - Zebra: a relevance-ranked PQF search (Koha's way: words over every field, the whole query as
     the complete title) and the fetch of its first 20 records as MARCXML (YAZ ZOOM, one connection);
   a first pass over the list is discarded (it warms caches on both sides), then ``--rounds`` timed
   passes, each query asked of the three in turn. Latencies are wall-clock times at the client.

Nothing is installed at run time: Zebra and YAZ come from the Debian packages idzebra-2.0 and yaz
(scripts/system-deps.sh). Use a database of its own:

    DATABASE_URL=sqlite:////tmp/bkklib_search_200k.sqlite3 .venv/bin/python bench/search_vs_zebra.py --n 200000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bkklib_search_200k .venv/bin/python bench/search_vs_zebra.py --n 200000
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import search as bench_search  # noqa: E402  (bench/search.py: generator, import, query list)
import search_zebra as zebra  # noqa: E402

PAGE = 20


class Http:
    """One keep-alive HTTP/1.1 connection to the local gunicorn."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            self.conn.request("GET", path, headers={"Accept-Language": "th"})
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request("GET", path, headers={"Accept-Language": "th"})
            response = self.conn.getresponse()
        body = response.read()
        return response.status, body


def start_gunicorn(port: int, database_url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "SECRET_KEY": os.environ["SECRET_KEY"], "BKKLIB_WORKERS": "0",
           # one client asking a thousand queries a minute is the bench, not abuse: no 429 here
           "BKKLIB_SEARCH_PER_MINUTE": "1000000",
           # the application's JSON line per request would go to stdout, into the bench's own JSON
           "LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "bkklib.wsgi", "-b", f"127.0.0.1:{port}",
                             "-w", "1", "--keep-alive", "60", "--log-level", "warning",
                             # the first request loads the index's stored values (tens of seconds at 1M records
                             # on a loaded machine); gunicorn's default 30 s would kill the worker mid-load
                             "--timeout", "300"], cwd=ROOT, env=env)
    zebra.wait_for_port(port, proc)
    return proc


def percentile(values: list[float], p: float) -> float:
    return bench_search.percentile(values, p)


def summary(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2),
            "p99_ms": round(percentile(values, 99), 2), "mean_ms": round(statistics.fmean(values), 2)}


def measure(queries: list[dict], rounds: int, api: Http, zoom: zebra.Zoom) -> dict:
    sides = ("bkklib_api", "bkklib_opac_html", "zebra")
    times: dict[str, list[float]] = {s: [] for s in sides}
    by_kind: dict[str, dict[str, list[float]]] = {s: {} for s in sides}
    hits: dict[str, dict[str, int]] = {"bkklib": {}, "zebra": {}}
    slowest: dict[str, list[tuple[float, str]]] = {s: [] for s in sides}
    errors: dict[str, dict[str, str]] = {}

    def ask(spec, record: bool):
        q = spec["q"]
        calls = (
            ("bkklib_api", lambda: api.get("/api/v1/records/?" + urlencode({"q": q, "page_size": PAGE}))),
            ("bkklib_opac_html", lambda: api.get("/search/?" + urlencode({"q": q}))),
            ("zebra", lambda: zoom.search(zebra.to_pqf(q))),
        )
        for side, call in calls:
            t = time.perf_counter()
            try:
                answer = call()
            except RuntimeError as exc:  # a query Zebra refuses: counted, not timed
                errors.setdefault(side, {})[q] = str(exc)
                continue
            ms = (time.perf_counter() - t) * 1000
            if side != "zebra" and answer[0] != 200:
                raise SystemExit(f"{side} answered {answer[0]} for {q!r}: {answer[1][:300]!r}")
            if not record:
                if side == "bkklib_api":
                    hits["bkklib"][q] = json.loads(answer[1])["count"]
                elif side == "zebra":
                    hits["zebra"][q] = answer[0]
                continue
            times[side].append(ms)
            by_kind[side].setdefault(spec["kind"], []).append(ms)
            slowest[side].append((ms, f"{spec['kind']}: {q}"))

    t0 = time.perf_counter()
    for spec in queries:  # first pass: discarded (warms both sides; records the hit counts)
        ask(spec, False)
    first_pass = time.perf_counter() - t0
    for _ in range(rounds):
        for spec in queries:
            ask(spec, True)
    out = {side: summary(values) for side, values in times.items()}
    api_p95, html_p95, zebra_p95 = (out[s]["p95_ms"] for s in sides)
    out["ratio_api_p95_to_zebra_p95"] = round(api_p95 / zebra_p95, 2)
    out["ratio_html_p95_to_zebra_p95"] = round(html_p95 / zebra_p95, 2)
    out["ratio_api_p50_to_zebra_p50"] = round(out["bkklib_api"]["p50_ms"] / out["zebra"]["p50_ms"], 2)
    out["by_kind_p95_ms"] = {side: {k: round(percentile(v, 95), 1) for k, v in sorted(kinds.items())}
                             for side, kinds in by_kind.items()}
    out["slowest"] = {side: [f"{ms:.1f} ms {q}" for ms, q in sorted(v, reverse=True)[:8]] for side, v in slowest.items()}
    out["first_pass_seconds"] = round(first_pass, 1)
    out["zero_hit_queries"] = {side: sum(1 for c in counts.values() if c == 0) for side, counts in hits.items()}
    out["refused_queries"] = errors
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="records in the synthetic catalog")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes over the query list")
    parser.add_argument("--batch", type=int, default=2000, help="records per import transaction")
    parser.add_argument("--queries", type=Path, default=HERE / "search_queries.tsv")
    parser.add_argument("--http-port", type=int, default=8931)
    parser.add_argument("--zebra-port", type=int, default=9931)
    parser.add_argument("--zebra-dir", type=Path, default=None,
                        help="Zebra's register (default var/bench/zebra-N; reused when it holds the N records)")
    args = parser.parse_args()
    if missing := zebra.missing_tools():
        raise SystemExit(f"missing {', '.join(missing)}: install the Debian packages idzebra-2.0 and yaz "
                         "(scripts/system-deps.sh)")
    # A database of the bench's own (`make bench` runs it without DATABASE_URL).
    database_url = os.environ.setdefault("DATABASE_URL", f"sqlite:////tmp/bkklib_search_{args.n}.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from machine import calibration

    from bkklib.search import index

    call_command("migrate", verbosity=0)
    out = {"engine": connection.vendor, "n": args.n, "cpu_count": os.cpu_count(), "cpu_calibration": calibration(),
           "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    if index.count() == args.n:
        out["bkklib_import"] = "reused"
    else:
        from bkklib.catalog.models import Record

        if Record.objects.exists():
            raise SystemExit(f"the database holds {index.count()} indexed records, not {args.n}: give it a fresh one")
        out["bkklib_import"] = bench_search.build(args.n, args.batch, "catalog")
    chunk = args.batch * 10
    cache = ROOT / "var" / "bench" / f"search-iso2709-seed2565-{chunk}"  # where bench/search.build keeps them
    files = [cache / f"{start + 1:08d}-{min(args.n, start + chunk):08d}.mrc" for start in range(0, args.n, chunk)]
    if not all(f.exists() for f in files):
        raise SystemExit("the generated ISO 2709 files are missing: run once on a fresh database to make them")
    zebra_dir = args.zebra_dir or ROOT / "var" / "bench" / f"zebra-{args.n}"
    out["zebra_index"] = zebra.index_files(zebra_dir, files, args.n)
    connection.close()

    queries = bench_search.load_queries(args.queries)
    servers = [zebra.start_server(zebra_dir, args.zebra_port), start_gunicorn(args.http_port, database_url)]
    try:
        api = Http(args.http_port)
        cold = time.perf_counter()
        status, _ = api.get("/api/v1/records/?q=%E0%B9%84%E0%B8%97%E0%B8%A2&page_size=20")  # the worker's cold start
        out["bkklib_cold_first_request_s"] = round(time.perf_counter() - cold, 1)
        if status != 200:
            raise SystemExit(f"bkklib answered {status}")
        zoom = zebra.Zoom(args.zebra_port, fetch=PAGE)
        out["queries"] = len(queries)
        out["rounds"] = args.rounds
        out["results"] = measure(queries, args.rounds, api, zoom)
    finally:
        for proc in servers:
            proc.send_signal(signal.SIGTERM)
        for proc in servers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, ensure_ascii=False, indent=2), flush=True)


if __name__ == "__main__":
    main()
    # libyaz (ctypes) and the libxml2 another library of the process bundles both clean up at exit,
    # which twice aborted the process ("double free") after its figures were printed: skip that.
    os._exit(0)
