"""Benchmark the e-library's OPDS 2.0 publication feeds under gunicorn; print JSON figures.

    .venv/bin/python bench/elibrary.py [--titles 50000] [--db postgres|sqlite] [--workers 3]
                                       [--clients 8] [--seconds 20] [--reuse]

1. Builds (or reuses) a benchmark database beside the project's own: the PostgreSQL database
   ``bkklib_elibrary_bench`` (or SQLite in ``var/bench-elibrary/``), then inserts ``--titles``
   catalog records and e-library titles in bulk through ``core.bulk`` (rows, not files: the feeds
   never open a file), with their subjects, licences of every model (mostly open access), popular
   counts, a few thousand running loans and waiting holds, and 20 collections.
2. Starts gunicorn (``gthread`` workers) with DEBUG off, as in production.
3. Drives ``--clients`` keep-alive HTTP clients for ``--seconds`` seconds over OPDS 2.0 feed pages:
   new, popular, by subject and by collection, pages 1 to 200 (50 publications a page, each with its
   availability computed), after a 3 s warm-up; reports throughput, latency percentiles, the
   server's CPU per request and the machine's calibration (bench/machine.py).
"""
import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import calibration  # noqa: E402
from opac import PY, ROOT, free_port, load, load_avg, server_cpu_seconds, start_gunicorn  # noqa: E402

SUBJECTS = ["นิทานพื้นบ้าน", "ประวัติศาสตร์ไทย", "วิทยาศาสตร์สำหรับเด็ก", "สุขภาพ", "อาหารไทย", "ท่องเที่ยวกรุงเทพฯ",
            "นวนิยาย", "กวีนิพนธ์", "การเงินส่วนบุคคล", "คอมพิวเตอร์", "ธรรมะ", "ภาษาอังกฤษ", "การ์ตูน", "ศิลปะ",
            "ดนตรีไทย", "สิ่งแวดล้อม", "กฎหมาย", "ธุรกิจ", "จิตวิทยา", "เกษตร"]
WORDS = "ตำนาน แม่น้ำ เจ้าพระยา ตลาดน้ำ ช้างไทย ดวงดาว ขนมไทย ต้นไม้ รถไฟ วัดอรุณ ผีเสื้อ ฝนแรก ลายไทย เรือ นกเงือก".split()
AUTHORS = ["สุนทร ภูริพัฒน์", "กนกวรรณ ศรีสวัสดิ์", "ประยูร อินทรสุข", "อรอุมา แก้วมณี", "ชาตรี บุญญาศิริ", "Somsak Chantra"]


def env_for(args) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BKKLIB_TESTING")}
    env.update({"DEBUG": "0", "BKKLIB_VAR_DIR": str(ROOT / "var" / "bench-elibrary"),
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "ERROR"})
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    if args.db == "postgres":
        env["DATABASE_URL"] = args.pg_url.rsplit("/", 1)[0] + "/bkklib_elibrary_bench"
    return env


def prepare_database(args, env) -> dict:
    if args.db == "postgres" and not args.reuse:
        import psycopg

        with psycopg.connect(args.pg_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bkklib_elibrary_bench")
            conn.execute("CREATE DATABASE bkklib_elibrary_bench")
    Path(env["BKKLIB_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    if args.db == "sqlite" and not args.reuse:
        for name in Path(env["BKKLIB_VAR_DIR"]).glob("bkklib.sqlite3*"):
            name.unlink()
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    if args.reuse:
        return {"titles": args.titles, "reused": True}
    code = f"""
import django, json, sys
django.setup()
sys.path.insert(0, {str(ROOT / 'bench')!r})
from elibrary import fill
print(json.dumps(fill({args.titles}, {args.seed})))
"""
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "bkklib.settings"},
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def fill(count: int, seed: int) -> dict:
    """Insert ``count`` records and titles with subjects, licences, loans, holds and collections (bulk)."""
    import time
    from datetime import date, timedelta

    from django.db import transaction
    from django.utils import timezone

    from bkklib.catalog.models import Record
    from bkklib.core import bulk
    from bkklib.elibrary.models import Collection, EHold, ELoan, Licence, Title, TitleSubject

    started = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        names = [f"{rng.choice(WORDS)}{rng.choice(WORDS)} เล่ม {n}" for n in range(count)]
        records = [Record(marc={"leader": "00000nmm a2200000 i 4500", "fields": [
            {"245": {"ind1": "0", "ind2": "0", "subfields": [{"a": name}]}}]}, title=name, material_type="computer_file",
            language="tha") for name in names]
        record_ids = bulk.insert_rows(Record, records, returning=True, chunk_rows=2000)
        titles = []
        for n, (name, record_id) in enumerate(zip(names, record_ids, strict=True)):
            subjects = rng.sample(SUBJECTS, 2)
            titles.append(Title(record_id=record_id, title=name, authors=[rng.choice(AUTHORS)], language="th",
                                subjects=subjects, description="เรื่องเล่าสำหรับผู้อ่านทุกวัย", publisher="สำนักพิมพ์ทดสอบ",
                                year=2000 + n % 25, format="epub", media_type="application/epub+zip",
                                file_path=f"elibrary/files/{n % 256:02x}/{rng.getrandbits(256):064x}.epub",
                                sha256=f"{rng.getrandbits(256):064x}", size=100_000, loans_count=int(rng.paretovariate(1.2)),
                                created_at=now - timedelta(minutes=count - n), is_demo=True))
        title_ids = bulk.insert_rows(Title, titles, returning=True, chunk_rows=2000)
        bulk.insert_rows(TitleSubject, [TitleSubject(title_id=tid, name=s) for tid, t in zip(title_ids, titles, strict=True)
                                        for s in t.subjects], chunk_rows=5000)
        licences, kinds = [], []
        for tid in title_ids:
            roll = rng.random()
            if roll < 0.7:
                licences.append(Licence(title_id=tid, kind="open", starts_on=date(2020, 1, 1)))
            elif roll < 0.8:
                licences.append(Licence(title_id=tid, kind="perpetual", copies=rng.randint(1, 3), starts_on=date(2020, 1, 1),
                                        price=300))
            elif roll < 0.9:
                licences.append(Licence(title_id=tid, kind="metered", copies=1, loans_total=26,
                                        loans_used=rng.randint(0, 26),
                                        starts_on=date(2025, 1, 1), expires_on=today + timedelta(days=rng.randint(-30, 700)),
                                        price=280))
            else:
                licences.append(Licence(title_id=tid, kind="concurrent", copies=5, starts_on=date(2025, 1, 1),
                                        expires_on=today + timedelta(days=365), price=1500))
            kinds.append(licences[-1].kind)
        licence_ids = bulk.insert_rows(Licence, licences, returning=True, chunk_rows=2000)
        loans, holds = [], []
        for lid, lic, tid in zip(licence_ids, licences, title_ids, strict=True):
            if lic.kind in ("perpetual", "concurrent") and rng.random() < 0.3:
                loans.append(ELoan(title_id=tid, licence_id=lid, seat=1, reader_key=f"{rng.getrandbits(64):016x}",
                                   channel="opds", started_at=now - timedelta(days=2), ends_at=now + timedelta(days=12)))
                if rng.random() < 0.3:
                    holds.append(EHold(title_id=tid, status="waiting", placed_at=now - timedelta(days=1)))
        bulk.insert_rows(ELoan, loans, chunk_rows=2000)
        bulk.insert_rows(EHold, holds, chunk_rows=2000)
        for n in range(20):
            collection = Collection.objects.create(name=f"ชุดหนังสือ {n + 1}", slug=f"bench-{n + 1}", featured=n < 3)
            collection.titles.set(rng.sample(title_ids, 300))
    from django.db import connection

    if connection.vendor == "postgresql":  # all-visible pages: index-only scans, as after autovacuum
        with connection.cursor() as cursor:
            for table in ("catalog_record", "elibrary_title", "elibrary_titlesubject", "elibrary_licence",
                          "elibrary_eloan", "elibrary_ehold", "elibrary_collection_titles"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return {"titles": count, "licences": len(licence_ids), "active_loans": len(loans), "waiting_holds": len(holds),
            "fill_seconds": round(time.monotonic() - started, 1)}


def feed_urls(rng: random.Random) -> list[str]:
    from urllib.parse import quote

    urls = []
    for _n in range(400):
        kind = rng.random()
        page = rng.randint(1, 200)
        if kind < 0.35:
            urls.append(f"/opds/v2/new/?page={page}")
        elif kind < 0.6:
            urls.append(f"/opds/v2/popular/?page={page}")
        elif kind < 0.85:
            urls.append(f"/opds/v2/subjects/{quote(rng.choice(SUBJECTS))}/?page={rng.randint(1, 40)}")
        else:
            urls.append(f"/opds/v2/collections/bench-{rng.randint(1, 20)}/?page={rng.randint(1, 6)}")
    return urls


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--titles", type=int, default=50_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--pg-url", default=os.environ.get("BKKLIB_TEST_POSTGRES_URL",
                                                           "postgres://postgres@127.0.0.1:5432/bkklib"))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--reuse", action="store_true", help="keep an existing benchmark database")
    args = parser.parse_args()
    env = env_for(args)
    facts = prepare_database(args, env)
    port = free_port()
    server = start_gunicorn(args, env, port)
    try:
        urls = feed_urls(random.Random(args.seed))
        load(port, urls, args.clients, 3)  # warm-up
        cpu_before, load_before = server_cpu_seconds(server.pid), load_avg()
        figures = load(port, urls, args.clients, args.seconds)
        cpu_used = server_cpu_seconds(server.pid) - cpu_before
        per_request_ms = 1000 * cpu_used / max(1, figures["requests"])
        figures.update({"server_cpu_ms_per_request": round(per_request_ms, 1),
                        "capacity_rps_on_2_free_cores": round(2000 / per_request_ms, 1) if per_request_ms else None,
                        "machine_load_average_before": load_before, "machine_load_average_after": load_avg()})
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "benchmark": "e-library OPDS 2.0 publication feeds under gunicorn", "database": args.db, **facts,
        "server": f"gunicorn gthread {args.workers} workers x {args.threads} threads, DEBUG=0",
        "clients": args.clients, "seconds": args.seconds, "feeds": figures,
        "targets": {"rps": 100, "p95_ms": 200},
        "meets_targets": figures["rps"] >= 100 and figures["p95_ms"] <= 200 and figures["errors"] == 0,
        "machine": calibration(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
