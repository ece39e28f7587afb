"""The production profile under desk load: one web node, then two, behind nginx (docs/performance.md, Deployment).

Starts the stack of tests/deploy (gunicorn nodes with two workers each, a huey consumer, the shipped
nginx site over TLS, PostgreSQL database cloned from the test template, Redis database 5), logs four
librarians in through the staff page, and lets them run checkout → renew → checkin cycles over HTTPS
for a fixed time. Reports desk operations per second and their latency, the probes' latency and the
cost of one /metrics scrape, with this machine's calibration. Prints one JSON document.

    .venv/bin/python bench/deploy.py                 # 1 node, then 2 nodes, 15 s each
    .venv/bin/python bench/deploy.py --nodes 2 --seconds 30
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import requests  # noqa: E402
from machine import calibration  # noqa: E402

from tests.deploy.desk import Desk  # noqa: E402
from tests.deploy.stack import Stack  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/5"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 1) if ordered else 0.0


def timed(fn, n: int = 20) -> dict:
    values = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        values.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95)}


def run(nodes: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bkklib-bench-deploy-") as tmp:
        stack = Stack(Path(tmp), pg_server=PG, redis_url=REDIS, nodes=nodes)
        try:
            stack.create_database()
            world = stack.seed()
            stack.start()
            stack.wait_ready(timeout=90)
            desks = [Desk(stack.base, name, world["password"], world["branch"], ca=stack.ca) for name in world["desks"]]
            for desk in desks:
                desk.log_in()
            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            stop = time.monotonic() + seconds

            def shift(k: int):
                desk, local = desks[k], []
                while time.monotonic() < stop:
                    for barcode in world["shelves"][k]:
                        for op, body in (("checkout", {"patron_card": world["desk_patrons"][k]}), ("renew", {}),
                                         ("checkin", {})):
                            started = time.perf_counter()
                            outcome = desk.post(op, barcode, **body)
                            local.append((time.perf_counter() - started) * 1000)
                            if outcome.status >= 300:
                                with lock:
                                    errors.append(f"{op} {outcome.status} {outcome.code}")
                with lock:
                    latencies.extend(local)

            started = time.monotonic()
            threads = [threading.Thread(target=shift, args=(k,)) for k in range(len(desks))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
            node = f"http://127.0.0.1:{stack.node_ports[0]}"
            token = {"Authorization": f"Bearer {stack.metrics_token}"}
            return {
                "nodes": nodes, "gunicorn_workers_per_node": stack.workers, "desks": len(desks),
                "seconds": round(elapsed, 1), "operations": len(latencies), "errors": errors[:5],
                "ops_per_s": round(len(latencies) / elapsed, 1),
                "desk_p50_ms": percentile(latencies, 50), "desk_p95_ms": percentile(latencies, 95),
                "desk_mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
                "healthz": timed(lambda: requests.get(f"{node}/healthz", timeout=10)),
                "readyz": timed(lambda: requests.get(f"{node}/readyz", timeout=10)),
                "metrics_scrape": timed(lambda: requests.get(f"{node}/metrics", headers=token, timeout=10), n=10),
            }
        finally:
            stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, action="append", help="web nodes (repeatable; default 1 and 2)")
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    load = os.getloadavg()
    results = [run(n, args.seconds) for n in (args.nodes or [1, 2])]
    print(json.dumps({"bench": "deploy", "machine": {**calibration(), "cores": os.cpu_count(),
                                                      "loadavg_1m_at_start": round(load[0], 1)},
                      "runs": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
