"""Volunteers: a volunteer's own page, hours totals, the coverage roster with volunteer shifts, applying.

One process inside Django on the bench database (never the test ones): PostgreSQL
``bkklib_bench_volunteers`` by default, or SQLite ``var/bench/volunteers-sqlite`` with ``--backend sqlite``.
One branch gets 200 volunteers with agreements, 12 weeks of shifts (6 a day) and about 20,000 finished,
approved sign-ups (built once, reused). Measured, p50 / p95 in ms:

1. ``/volunteer/me/`` rendered through Django's test client for a volunteer with ~100 sign-ups, and its
   query count;
2. ``queries.hours_by_fiscal_year`` for that volunteer;
3. ``network.queries.roster`` for the branch over four weeks (asks the volunteers coverage provider);
4. ``services.apply`` (national ID check, criteria, sealing three fields, audit) for fresh applicants.

    .venv/bin/python bench/volunteers.py                   # PostgreSQL
    .venv/bin/python bench/volunteers.py --backend sqlite --repeat 50
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BKKLIB_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bkklib_bench_volunteers")
VOLUNTEERS = 200
WEEKS = 12
SHIFTS_A_DAY = 6


def setup_env(backend: str) -> None:
    var = ROOT / "var" / "bench" / f"volunteers-{backend}"
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update({"BKKLIB_VAR_DIR": str(var), "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bkklib.settings",
                       "LOG_LEVEL": "ERROR", "ALLOWED_HOSTS": "testserver,localhost"})
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    if backend == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
        from urllib.parse import urlparse

        import psycopg

        parts = urlparse(PG_URL)
        name = parts.path.lstrip("/")
        with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                             dbname="postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        os.environ.pop("DATABASE_URL", None)


def timed(fn, repeat: int) -> dict:
    fn()  # warm-up
    values = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        values.append((time.perf_counter() - started) * 1000)
    values.sort()
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(values[int(0.95 * (len(values) - 1))], 2),
            "runs": repeat}


def build():
    from datetime import datetime, timedelta
    from datetime import time as dtime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from bkklib.network.models import Branch, District, StaffingLevel
    from bkklib.volunteers import protect
    from bkklib.volunteers.models import Agreement, Call, Criteria, Role, Shift, Signup, Volunteer

    call_command("migrate", verbosity=0, interactive=False)
    branch, _ = Branch.objects.get_or_create(code="benchvol", defaults={
        "name_th": "ห้องสมุดทดสอบสมรรถนะอาสาสมัคร", "kind": "public_library",
        "district": District.objects.order_by("code").first(), "is_demo": True})
    role, _ = Role.objects.get_or_create(name_th="บทบาททดสอบสมรรถนะ", defaults={"counts_in_coverage": True})
    criteria, _ = Criteria.objects.get_or_create(name="เกณฑ์ทดสอบสมรรถนะ", defaults={"min_age": 15})
    today = timezone.localdate()
    call, _ = Call.objects.get_or_create(branch=branch, role=role, criteria=criteria, title="ประกาศทดสอบสมรรถนะ",
                                         defaults={"opens_on": today - timedelta(days=3650),
                                                   "closes_on": today + timedelta(days=3650)})
    for weekday in range(7):
        StaffingLevel.objects.get_or_create(branch=branch, weekday=weekday, defaults={"minimum_staff": 3})
    if Volunteer.objects.filter(branch=branch).count() < VOLUNTEERS:
        Volunteer.objects.bulk_create([
            Volunteer(branch=branch, code=f"B{k:06d}", first_name="อาสา", last_name=f"ทดสอบ {k}", is_demo=True,
                      national_id_sealed=protect.seal("1101700203455")) for k in range(VOLUNTEERS)],
            ignore_conflicts=True)
    volunteers = list(Volunteer.objects.filter(branch=branch).order_by("code"))
    now = timezone.now()
    if not Agreement.objects.filter(branch=branch).exists():
        Agreement.objects.bulk_create([
            Agreement(volunteer=v, branch=branch, role=role, starts_on=today - timedelta(days=400), duties="ทดสอบ",
                      code_of_conduct="ทดสอบ", status="active", accepted_at=now, created_at=now) for v in volunteers])
    first = today - timedelta(weeks=WEEKS)
    if not Shift.objects.filter(branch=branch).exists():
        shifts = []
        for d in range(WEEKS * 7 + 28):
            day = first + timedelta(days=d)
            for s in range(SHIFTS_A_DAY):
                start = timezone.make_aware(datetime.combine(day, dtime(8 + 2 * s)))
                shifts.append(Shift(branch=branch, role=role, starts_at=start, ends_at=start + timedelta(hours=2),
                                    places=40))
        Shift.objects.bulk_create(shifts, batch_size=2000)
    if not Signup.objects.filter(branch=branch).exists():
        rows = []
        past = Shift.objects.filter(branch=branch, starts_at__lt=now).order_by("starts_at")
        for n, shift in enumerate(past):
            for k in range(40):
                v = volunteers[(n * 7 + k) % VOLUNTEERS]
                rows.append(Signup(shift=shift, volunteer=v, branch=branch, signed_up_at=shift.starts_at,
                                   status="checked_out", checked_in_at=shift.starts_at, checked_out_at=shift.ends_at,
                                   minutes=120, approved_at=shift.ends_at, check_method="desk"))
        Signup.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        upcoming = Shift.objects.filter(branch=branch, starts_at__gte=now).order_by("starts_at")[:200]
        Signup.objects.bulk_create([Signup(shift=s, volunteer=volunteers[n % VOLUNTEERS], branch=branch,
                                           signed_up_at=now) for n, s in enumerate(upcoming)], ignore_conflicts=True)
    person = volunteers[0]
    if person.user_id is None:
        User = get_user_model()
        user, _ = User.objects.get_or_create(username="bench-volunteer", defaults={"is_staff": False})
        person.user = user
        person.save(update_fields=["user"])
    return branch, call, person


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_env(args.backend)
    import django

    django.setup()
    from datetime import date, timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bkklib.network.queries import roster
    from bkklib.volunteers import queries, services
    from bkklib.volunteers.models import Application, Signup

    started = time.monotonic()
    branch, call, person = build()
    built_s = round(time.monotonic() - started, 1)
    client = Client()
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/volunteer/me/").status_code == 200
    figures = {"backend": args.backend, "build_s": built_s,
               "signups": Signup.objects.filter(branch=branch).count(),
               "person_signups": Signup.objects.filter(volunteer=person).count(),
               "me_page_queries": len(ctx.captured_queries)}
    figures["me_page"] = timed(lambda: client.get("/volunteer/me/"), args.repeat)
    figures["hours_by_fiscal_year"] = timed(lambda: queries.hours_by_fiscal_year(person), args.repeat)
    today = timezone.localdate()
    figures["coverage_roster_4_weeks"] = timed(
        lambda: roster(today - timedelta(days=28), today - timedelta(days=1), branches=[branch]), args.repeat)
    counter = iter(range(10**6))
    from stdnum.th import pin

    def apply_once():
        n = next(counter) + int(time.time()) % 100000 * 1000
        twelve = f"8{n:011d}"[-12:]
        services.apply(call=call, first_name="ผู้สมัคร", last_name="ทดสอบ", national_id=twelve + pin.calc_check_digit(
            twelve), birth_date=date(1990, 1, 1), hours_per_week=5, address="ที่อยู่ทดสอบ", health_notes="-")

    figures["apply"] = timed(apply_once, args.repeat)
    Application.objects.filter(call=call).delete()
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
