"""Demo outreach: 4 vehicles on the demo mobile units, 40 stops with weekly timetables and planned trips,
a month of visit records, deposit collections at the first 12 demo reading houses, 3 volunteer accounts.

Deterministic (seeded) and idempotent; names carry ``(ข้อมูลสาธิต)`` and rows are ``is_demo``. The
volunteer desk accounts ``demo-volunteer-1`` … ``-3`` sign in with the password ``demo-volunteer-2568``.
"""
from __future__ import annotations

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from bkklib.catalog.models import Item
from bkklib.network import geo
from bkklib.network.models import Branch, District

from . import services
from .models import DepositCollection, Route, Stop, Timetable, Trip, Vehicle, VisitRecord

LABEL = "(ข้อมูลสาธิต)"
SEED = 2568
VOLUNTEER_PASSWORD = "demo-volunteer-2568"
KINDS = [Vehicle.Kind.BUS, Vehicle.Kind.BUS, Vehicle.Kind.VAN, Vehicle.Kind.BOAT]
PLACES = [
    ("โรงเรียนวัด", Stop.Audience.SCHOOL), ("ชุมชน", Stop.Audience.COMMUNITY), ("บ้านพักผู้สูงอายุ", Stop.Audience.ELDERLY_HOME),
    ("โรงเรียนสังกัด กทม.", Stop.Audience.SCHOOL), ("วัด", Stop.Audience.TEMPLE), ("ศูนย์บริการสาธารณสุข", Stop.Audience.HOSPITAL),
]
SLOTS = [(time(9, 0), time(10, 30)), (time(11, 0), time(12, 0)), (time(13, 30), time(15, 0))]


def _point(rng: random.Random) -> tuple[float, float, str]:
    west, south, east, north = geo.city_bbox()
    while True:
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        code = geo.district_of(lat, lon)
        if code:
            return round(lat, 6), round(lon, 6), code


def run(stdout=None, scale: float = 1.0) -> None:
    """Create the demo vehicles, stops, trips, visits, deposits and volunteers unless they are there."""
    if Vehicle.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write(f"  outreach: {Stop.objects.filter(is_demo=True).count()} demo stops already there")
        return
    units = list(Branch.objects.filter(kind=Branch.Kind.MOBILE_UNIT, is_demo=True).order_by("code")[:4])
    if not units:
        if stdout:
            stdout.write("  outreach: no demo mobile units (run the network demo first)")
        return
    rng = random.Random(SEED)
    districts = {d.code: d for d in District.objects.all()}
    today = timezone.localdate()
    with transaction.atomic():
        stops = []
        for n, unit in enumerate(units, start=1):
            vehicle = Vehicle.objects.create(unit=unit, name_th=f"รถห้องสมุดเคลื่อนที่ คันที่ {n} {LABEL}",
                                             plate=f"{40 + n}-{1000 + n * 37} กรุงเทพมหานคร", kind=KINDS[(n - 1) % 4],
                                             capacity=2500 if KINDS[(n - 1) % 4] == Vehicle.Kind.BUS else 800,
                                             is_demo=True)
            route = Route.objects.create(vehicle=vehicle, code=f"demo-route-{n}", name_th=f"สายที่ {n} {LABEL}",
                                         name_en=f"Route {n} (demo)", is_demo=True)
            for k in range(10):
                lat, lon, code = _point(rng)
                place, audience = PLACES[(n + k) % len(PLACES)]
                stop = Stop.objects.create(
                    route=route, code=f"demo-stop-{n}-{k + 1:02d}", district=districts[code],
                    name_th=f"{place}{districts[code].name_th} {k + 1} {LABEL}", latitude=lat, longitude=lon,
                    address=f"เขต{districts[code].name_th} กรุงเทพมหานคร", audience=audience,
                    contact_name="ผู้ประสานงาน (ข้อมูลสาธิต)", is_pickup_point=k % 3 == 0, is_demo=True)
                arrives, departs = SLOTS[k % len(SLOTS)]
                Timetable.objects.create(stop=stop, weekday=(k // 3 + n) % 5, arrives_at=arrives, departs_at=departs,
                                         valid_from=today - timedelta(days=60))
                stops.append(stop)
        services.plan_trips(start=today - timedelta(days=30), end=today + timedelta(days=60))
        visits = 0
        for trip in Trip.objects.filter(stop__in=stops, visit_on__lt=today).exclude(status=Trip.Status.CANCELLED):
            VisitRecord.objects.create(
                branch=trip.stop.route.vehicle.unit, stop=trip.stop, trip=trip, day=trip.visit_on,
                children=rng.randint(5, 40), youth=rng.randint(0, 15), adults=rng.randint(2, 20),
                elderly=rng.randint(0, 12), activities="เล่านิทาน ระบายสี (ข้อมูลสาธิต)", is_demo=True)
            trip.status = Trip.Status.DONE
            trip.save(update_fields=["status", "updated_at"])
            visits += 1
        deposits = _deposits(today, rng, scale)
        volunteers = _volunteers(today)
    if stdout:
        stdout.write(f"  outreach: {len(units)} vehicles, {len(stops)} stops, {visits} visit records, "
                     f"{deposits} deposit collections, {volunteers} volunteer accounts")


def _deposits(today, rng: random.Random, scale: float) -> int:
    houses = list(Branch.objects.filter(kind=Branch.Kind.READING_HOUSE, is_demo=True, parent__isnull=False)
                  .select_related("parent").order_by("code")[:12])
    made = 0
    now = timezone.now()
    for n, house in enumerate(houses, start=1):
        items = list(Item.objects.filter(branch=house.parent, status=Item.Status.AVAILABLE, is_demo=True)
                     .order_by("barcode").values_list("barcode", flat=True)[:max(3, int(10 * scale))])
        if not items:
            continue
        deposit = services.create_deposit(code=f"demo-dep-{n:03d}", from_branch=house.parent, reading_house=house,
                                          due_back_on=today + timedelta(days=90), barcodes=items, by=None,
                                          notes=LABEL)
        DepositCollection.objects.filter(pk=deposit.pk).update(is_demo=True)
        if n % 4 != 0:  # most are at the reading house; every fourth is still on its way
            services.send_deposit(deposit=deposit, by=None, now=now - timedelta(days=20))
            if n % 4 != 3:
                services.receive_deposit(deposit=deposit, by=None, now=now - timedelta(days=19))
        made += 1
    return made


def _volunteers(today) -> int:
    houses = list(Branch.objects.filter(kind=Branch.Kind.READING_HOUSE, is_demo=True).order_by("code")[:3])
    for n, house in enumerate(houses, start=1):
        services.create_volunteer(branch=house, username=f"demo-volunteer-{n}", password=VOLUNTEER_PASSWORD,
                                  display_name=f"อาสาสมัคร บ้านหนังสือ{n} {LABEL}"[:120], by=None,
                                  now=timezone.now() - timedelta(days=90))
    return len(houses)
