"""Backup and restore times: ``bkklib backup``, ``restore --check`` and ``restore`` of a catalog of N records.

Each backend gets its own bench database (never the test ones): SQLite under
``var/bench/backup-sqlite/``, PostgreSQL ``bkklib_ops-backup_bench`` on the local server
(``BKKLIB_BENCH_POSTGRES_URL``). The database is migrated and loaded once with N synthetic Thai
records through ``bkklib import_marc`` (kept for later runs), plus 200 media files of 50 KiB. Prints
one JSON document with the machine's calibration (bench/machine.py).

    .venv/bin/python bench/backup.py                       # both backends, 20,000 records
    .venv/bin/python bench/backup.py --backends sqlite --records 100000
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_ops-backup_bench")


def backend_env(backend: str, var: Path) -> dict:
    env = {**os.environ, "BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "SECRET_KEY": "bench-only-not-a-secret",
           "DJANGO_SETTINGS_MODULE": "bkklib.settings", "LOG_LEVEL": "ERROR", "MEDIA_ROOT": str(var / "media")}
    env.pop("BKKLIB_TESTING", None)
    if backend == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env.pop("DATABASE_URL", None)
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                   input=stdin, text=True, capture_output=True)
    return time.perf_counter() - start


def prepare(backend: str, env: dict, var: Path, records: int) -> None:
    marker = var / f"loaded-{records}"
    if marker.exists():
        return
    if backend == "postgres":
        import psycopg

        base = PG_URL.rsplit("/", 1)[0] + "/postgres"
        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{var}/bkklib.sqlite3{suffix}").unlink(missing_ok=True)
    manage(env, "migrate", "-v", "0")
    os.environ.update({k: v for k, v in env.items() if k in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "BKKLIB_VAR_DIR")})
    import django

    django.setup()  # the factories' module imports models; only its pure marc_record() is used
    from bkklib.catalog.marc import writer
    from bkklib.catalog.tests.factories import marc_record

    path = var / "records.mrc"
    with open(path, "wb") as out:
        for n in range(records):
            out.write(writer.to_iso2709(marc_record(f"หนังสือทดสอบการสำรองข้อมูล เล่มที่ {n}", author=f"ผู้แต่ง {n % 997}",
                                                    control_number=f"bench{n:08d}")))
    manage(env, "import_marc", str(path), "--quiet-report", "-v", "0")
    media = var / "media" / "bench"
    media.mkdir(parents=True, exist_ok=True)
    for n in range(200):
        (media / f"photo-{n}.jpg").write_bytes(os.urandom(50 * 1024))
    marker.touch()


def run(backend: str, records: int) -> dict:
    var = ROOT / "var" / "bench" / f"backup-{backend}"
    var.mkdir(parents=True, exist_ok=True)
    env = backend_env(backend, var)
    prepare(backend, env, var, records)
    dest = var / "backups"
    shutil.rmtree(dest, ignore_errors=True)
    start_s = min(manage(env, "shell", "-c", "pass") for _ in range(2))  # a bkklib process that does nothing
    backup_s = manage(env, "backup", str(dest))
    [folder] = sorted(dest.iterdir())
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    check_s = manage(env, "restore", str(folder), "--check")
    restore_s = manage(env, "restore", str(folder), "--no-input")
    return {"records": records, "backup_s": round(backup_s, 2), "check_s": round(check_s, 2),
            "restore_s": round(restore_s, 2), "backup_mib": round(size / 2**20, 1),
            "process_start_s": round(start_s, 2), "note": "each time includes starting the bkklib process"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    from machine import calibration

    results = {"cpu_calibration": calibration()}
    for backend in args.backends:
        results[backend] = run(backend, args.records)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
