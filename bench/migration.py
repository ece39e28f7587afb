"""Benchmark a migration (``bkklib.migration.services.migrate``): records/s for the largest real sample and
for a generated 20,000-record Koha export with 952 items, borrowers and current issues; print JSON figures.

    DATABASE_URL=sqlite:////tmp/bkklib-bench-migration.sqlite3 .venv/bin/python bench/migration.py --n 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bkklib_migration_bench .venv/bin/python bench/migration.py

The database must be empty (it is migrated first). The largest real sample is shared/data/marc's
evergreen__lul_fre_100.mrc (100 MARC-8 records, 76 kB), read in place when it is beside the checkout.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bkklib-bench-migration.sqlite3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="records of the generated Koha export")
    parser.add_argument("--no-rerun", action="store_true", help="skip the second (merging) run")
    parser.add_argument("--sample", type=Path, default=Path("/work/shared/data/marc/evergreen__lul_fre_100.mrc"))
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bkklib.catalog.models import Item, Record
    from bkklib.circulation.models import Loan, Patron
    from bkklib.migration.services import migrate
    from bkklib.migration.tests.exports import koha_borrowers, koha_issues, koha_marc
    from bkklib.network.models import Branch, District

    call_command("migrate", verbosity=0)
    if Record.objects.exists():
        raise SystemExit("use an empty database")
    district = District.objects.order_by("code").first()
    for code in ("MAIN", "BKN"):
        Branch.objects.get_or_create(code=code, defaults={"name_th": f"ห้องสมุดทดสอบ {code}", "district": district})
    from machine import calibration

    cpu = calibration()
    load_before = os.getloadavg()
    figures: dict = {"vendor": connection.vendor, "cpu_calibration": cpu}

    if args.sample.is_file():
        report = migrate("koha", marc=[args.sample], branch="MAIN", dry_run=True)
        dry = report.seconds
        report = migrate("koha", marc=[args.sample], branch="MAIN")
        figures["sample"] = {"file": args.sample.name, "records": report.read["record"],
                             "created": report.counts["record"]["created"], "seconds": round(report.seconds, 2),
                             "records_per_s": round(report.read["record"] / report.seconds, 1),
                             "dry_run_seconds": round(dry, 2)}

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        (tmp / "koha.mrc").write_bytes(koha_marc(args.n, branches=("MAIN", "BKN")))
        borrowers = [{"borrowernumber": str(i), "cardnumber": f"K{i:06d}", "firstname": "สมชาย", "surname": f"ทดสอบ{i}",
                      "branchcode": "MAIN", "categorycode": "adult", "dateofbirth": "1990-01-01"}
                     for i in range(1, args.n // 10 + 1)]
        (tmp / "borrowers.csv").write_bytes(koha_borrowers(borrowers))
        issues = [(f"3900{n:07d}0", f"K{n:06d}", "2025-05-20", "2025-06-10") for n in range(1, args.n // 20 + 1)]
        (tmp / "issues.csv").write_bytes(koha_issues(issues))
        generate = time.perf_counter() - t
        started = time.perf_counter()
        report = migrate("koha", marc=[tmp / "koha.mrc"], patrons=tmp / "borrowers.csv", loans=tmp / "issues.csv")
        total = time.perf_counter() - started
        patrons_loans = total - report.marc_seconds
        again, rerun = None, 0.0
        if not args.no_rerun:
            started = time.perf_counter()
            again = migrate("koha", marc=[tmp / "koha.mrc"], patrons=tmp / "borrowers.csv",
                            loans=tmp / "issues.csv")
            rerun = time.perf_counter() - started
    figures["koha"] = {
        "records": report.read["record"], "items": report.counts["item"]["created"],
        "patrons": report.counts["patron"]["created"], "loans": report.counts["loan"]["created"],
        "generate_seconds": round(generate, 1), "marc_seconds": round(report.marc_seconds, 1),
        "records_per_s": round(report.rate, 0),
        "patrons_and_loans_seconds": round(patrons_loans, 1),
        "rows_per_s_patrons_loans": round((len(borrowers) + len(issues)) / patrons_loans, 0),
        "total_seconds": round(total, 1),
        "rerun_seconds": round(rerun, 1),
        "rerun_records_per_s": round(again.read["record"] / again.marc_seconds, 0) if again else None,
        "rerun_merged": again.counts["record"]["merged"] if again else None,
        "rows_after": {"records": Record.objects.count(), "items": Item.objects.count(),
                       "patrons": Patron.objects.count(), "loans": Loan.objects.count()},
    }
    figures["load_average_before"] = [round(x, 2) for x in load_before]
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
