"""Benchmark the catalog's MARC import end to end (parse + store + items + index); print JSON figures.

Builds N synthetic demo records (Thai and English, with 952 holdings at the demo branches) as one
ISO 2709 file, then times ``bkklib.catalog.importer.import_marc`` on it into a fresh (empty) database:
reading and decoding, duplicate matching, bulk inserts of records, identifiers and items, and the
search index documents in the same transactions. Also times the reader alone and an export.

    DATABASE_URL=sqlite:////tmp/bkklib-bench-import.sqlite3 .venv/bin/python bench/catalog_import.py --n 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bkklib_bench_import .venv/bin/python bench/catalog_import.py
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")  # DEBUG off refuses to start without one
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bkklib-bench-import.sqlite3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="records to import")
    parser.add_argument("--batch", type=int, default=2000, help="records per transaction")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bkklib.catalog import demo, exporter
    from bkklib.catalog.importer import import_marc
    from bkklib.catalog.marc import reader
    from bkklib.catalog.models import Item, Record
    from bkklib.core import processes
    from bkklib.search import index

    call_command("migrate", verbosity=0)
    if Record.objects.exists():
        raise SystemExit("use an empty database (the benchmark imports into a fresh catalog)")
    call_command("seed_demo", only=["network"], verbosity=0, stdout=io.StringIO())
    load_before = os.getloadavg()
    from machine import calibration

    cpu = calibration()

    t = time.perf_counter()
    data = demo.demo_file(args.n, start=1, branches=demo._branch_weights())
    generate = time.perf_counter() - t

    t = time.perf_counter()
    parsed = sum(1 for r in reader.open_records(io.BytesIO(data)) if r.ok)
    parse = time.perf_counter() - t

    t, main = time.perf_counter(), time.process_time()
    report = import_marc([io.BytesIO(data)], demo=True, batch_size=args.batch)
    wall, main_cpu = time.perf_counter() - t, time.process_time() - main

    t = time.perf_counter()
    out = io.BytesIO()
    exported = exporter.export(out, format="iso2709").written
    export = time.perf_counter() - t

    print(json.dumps({
        "engine": connection.vendor,
        "records": args.n,
        "file_mb": round(len(data) / 1e6, 1),
        "batch": args.batch,
        "generate_seconds": round(generate, 1),
        "parse_only_rate_per_s": round(parsed / parse),
        "import": {
            "seconds": round(wall, 1),
            "rate_per_s": round(report.read / wall),
            "main_process_cpu_seconds": round(main_cpu, 1),
            "created": report.created, "skipped": report.skipped, "failed": report.failed,
            "items_created": report.items_created,
        },
        "records_in_db": Record.objects.count(),
        "items_in_db": Item.objects.count(),
        "indexed": index.count(),
        "export_iso2709_rate_per_s": round(exported / export),
        "cpu_count": os.cpu_count(),
        "helper_processes": processes.workers(),
        "cpu_calibration": cpu,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }, indent=2))


if __name__ == "__main__":
    main()
