"""Facilities: tree roll-ups and the UD report at the network's scale; print JSON figures.

PostgreSQL database ``bkklib_bench_facilities`` on the local server (created and migrated on first run,
data bulk-created once and reused). The network: 36 libraries with one building each and two completed
UD audits (14 answers each), 600 planting sites spread over Bangkok's districts with 3 plantings each
and 2 survival checks per planting.

Timed in-process: ``queries.tree_roll_up`` over every site, ``queries.ud_by_branch`` over every
building, and the staff pages ``/staff/facilities/trees/`` (map with 600 points) and
``/staff/facilities/reports/`` through Django's test client: p50 / p95 of ``--runs`` runs.

    .venv/bin/python bench/facilities.py [--runs 30]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_facilities")
BRANCHES, SITES, PLANTINGS, CHECKS = 36, 600, 3, 2


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def populate() -> None:
    import random
    from datetime import date, datetime, timedelta
    from decimal import Decimal

    from bkklib.facilities.models import Audit, AuditAnswer, Building, Checklist, Planting, Species, SurvivalCheck, TreeSite
    from bkklib.network import geo
    from bkklib.network.models import Branch, District

    if Building.objects.filter(name_th__startswith="bench").count() >= BRANCHES:
        return
    rng = random.Random(25)
    districts = list(District.objects.order_by("code"))
    checklist = Checklist.objects.get()
    items = list(checklist.items.all())
    species = list(Species.objects.all())
    bounds = geo.boundaries()
    branches = []
    for n in range(BRANCHES):
        d = districts[n % len(districts)]
        b = bounds[d.code].bbox
        branches.append(Branch.objects.create(code=f"bench{n}", name_th=f"bench ห้องสมุด {n}", district=d,
                                              kind=Branch.Kind.PUBLIC_LIBRARY, latitude=Decimal(f"{(b[1] + b[3]) / 2:.6f}"),
                                              longitude=Decimal(f"{(b[0] + b[2]) / 2:.6f}")))
    now = datetime(2026, 11, 1, tzinfo=UTC)
    for n, branch in enumerate(branches):
        building = Building.objects.create(branch=branch, name_th=f"bench อาคาร {n}")
        previous = None
        for k in range(2):
            audit = Audit.objects.create(building=building, branch=branch, checklist=checklist, previous=previous,
                                         audited_on=date(2025 + k, 3, 1), status="completed", completed_at=now)
            AuditAnswer.objects.bulk_create(AuditAnswer(audit=audit, item=i, answered_at=now,
                                                        result=rng.choice(["yes", "yes", "no", "na"])) for i in items)
            previous = audit
    sites = []
    for n in range(SITES):
        branch = branches[n % BRANCHES]
        lat = float(branch.latitude) + rng.uniform(-0.004, 0.004)
        lon = float(branch.longitude) + rng.uniform(-0.004, 0.004)
        sites.append(TreeSite(branch=branch, name_th=f"bench แปลง {n}", latitude=Decimal(f"{lat:.6f}"),
                              longitude=Decimal(f"{lon:.6f}"), district_code=geo.district_of(lat, lon)
                              or branch.district.code, area_m2=Decimal(rng.randint(10, 500)),
                              kind=rng.choice(["ground", "ground", "wall", "roof"]), surveyed_on=date(2025, 1, 1)))
    sites = TreeSite.objects.bulk_create(sites)
    plantings = Planting.objects.bulk_create(
        Planting(site=s, species=rng.choice(species), planned=20, planted=18, planted_on=date(2025, 6, 1))
        for s in sites for _ in range(PLANTINGS))
    SurvivalCheck.objects.bulk_create(
        SurvivalCheck(planting=p, checked_on=date(2025, 7, 1) + timedelta(days=60 * k), alive=18 - k * rng.randint(0, 3))
        for p in plantings for k in range(CHECKS))


def timed(fn, runs: int) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    ensure_database(PG_URL)
    os.environ.update({"DATABASE_URL": PG_URL, "DJANGO_SETTINGS_MODULE": "bkklib.settings", "DEBUG": "0",
                       "BKKLIB_VAR_DIR": str(ROOT / "var" / "bench" / "facilities"), "LOG_LEVEL": "ERROR",
                       "ALLOWED_HOSTS": "testserver,localhost",
                       "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-facilities-not-secret-" + "x" * 40)})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bkklib.core import roles
    from bkklib.facilities import queries
    from bkklib.facilities.models import Building, TreeSite

    call_command("migrate", verbosity=0)
    populate()
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-facilities")
    roles.sync_roles()
    user.groups.add(roles.group_for(roles.NETWORK_ADMIN))
    client = Client()
    client.force_login(user)
    assert client.get("/staff/facilities/trees/").status_code == 200
    figures = {
        "sites": TreeSite.objects.count(), "buildings": Building.objects.count(),
        "tree_roll_up": timed(lambda: queries.tree_roll_up(TreeSite.objects.all()), args.runs),
        "ud_by_branch": timed(lambda: queries.ud_by_branch(Building.objects.select_related("branch")), args.runs),
        "trees_page": timed(lambda: client.get("/staff/facilities/trees/"), args.runs),
        "report_page": timed(lambda: client.get("/staff/facilities/reports/"), args.runs),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
