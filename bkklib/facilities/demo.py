"""Demo buildings and grounds: a building per demo library, a completed UD audit (and a second one at a few
branches, to compare), works in several states across two fiscal years, planting sites with trees.

Deterministic and idempotent; names carry ``(ข้อมูลสาธิต)`` and rows are ``is_demo``. The demo writes
through the ORM (as other apps' demo data does): no audit users, no photos.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bkklib.core.calendar import fiscal_year
from bkklib.network import geo
from bkklib.network.models import Branch

from . import checklist
from .models import Audit, AuditAnswer, Building, Checklist, ChecklistItem, Planting, Species, SurvivalCheck, TreeSite, Work

LABEL = "(ข้อมูลสาธิต)"
SEED = 2569
# A branch's answers lean to compliant; the second audit fixes some gaps (what a work did).
WEIGHTS = {"yes": 6, "no": 3, "na": 1}
WORK_STATES = ["proposed", "approved", "budgeted", "procured", "in_progress", "completed", "inspected"]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _audit(building, the_checklist, day, rng, previous=None) -> Audit:
    row = Audit.objects.create(building=building, branch=building.branch, checklist=the_checklist, audited_on=day,
                               status=Audit.Status.COMPLETED, previous=previous, is_demo=True,
                               completed_at=timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 15)))
    before = {a.item_id: a.result for a in previous.answers.all()} if previous else {}
    for item in the_checklist.items.all():
        if before.get(item.pk) == "no" and rng.random() < 0.5:
            result = "yes"
        elif item.pk in before:
            result = before[item.pk]
        else:
            result = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        AuditAnswer.objects.create(audit=row, item=item, result=result, answered_at=row.completed_at,
                                   note=f"{LABEL}" if result == "no" else "",
                                   measured_value=Decimal(rng.randint(70, 95)) if item.measure_unit == "ซม." else None)
    return row


def _work(building, gaps, status, fy, rng, n) -> Work:
    values = {"status": status}
    if WORK_STATES.index(status) >= WORK_STATES.index("budgeted"):
        values.update(fiscal_year=fy, budget=Decimal(rng.randrange(30_000, 900_000, 5_000)))
    if WORK_STATES.index(status) >= WORK_STATES.index("procured"):
        values.update(contractor=f"หจก. ก่อสร้างตัวอย่าง {n} {LABEL}", contract_no=f"กทม.{n}/{fy}")
    start = date(fy - 544, 11, 1) + timedelta(days=rng.randint(0, 120))
    if WORK_STATES.index(status) >= WORK_STATES.index("in_progress"):
        values["starts_on"] = start
    if WORK_STATES.index(status) >= WORK_STATES.index("completed"):
        values["completed_on"] = start + timedelta(days=45)
    if status == "inspected":
        values["inspected_on"] = start + timedelta(days=52)
    topics = ", ".join(g.item.topic_th for g in gaps) or "ปรับปรุงอาคาร"
    work = Work.objects.create(branch=building.branch, building=building, title=f"ปรับปรุง{topics[:150]} {LABEL}",
                               description=LABEL, is_demo=True, **values)
    work.gaps.set(gaps)
    return work


@transaction.atomic
def run(stdout=None, scale: float = 1.0) -> None:
    if Building.objects.filter(is_demo=True).exists():
        _say(stdout, "facilities: demo data already there\n")
        return
    the_checklist = checklist.load_checklist(Checklist, ChecklistItem)
    checklist.load_species(Species)
    rng = random.Random(SEED)
    branches = list(Branch.objects.filter(is_demo=True, kind__in=[
        Branch.Kind.CITY_LIBRARY, Branch.Kind.PUBLIC_LIBRARY, Branch.Kind.LEARNING_CENTRE]).order_by("code"))
    branches = branches[:max(1, int(len(branches) * scale))]
    species = list(Species.objects.order_by("code"))
    today = timezone.localdate()
    this_fy = fiscal_year(today)
    works = sites = 0
    for n, branch in enumerate(branches, start=1):
        building = Building.objects.create(
            branch=branch, name_th=f"อาคารห้องสมุด {LABEL}", area_m2=Decimal(rng.randrange(300, 3000, 50)),
            year_built_be=rng.randint(2510, 2562), owner=Building.Owner.BMA, is_demo=True,
            accessibility_summary="ทางลาดด้านหน้า ห้องส้วมคนพิการชั้นล่าง (ข้อมูลสาธิต)")
        first = _audit(building, the_checklist, today - timedelta(days=400 + n), rng)
        latest = first
        if n % 3 == 0:
            latest = _audit(building, the_checklist, today - timedelta(days=30 + n), rng, previous=first)
        gaps = list(first.answers.filter(result="no").select_related("item"))
        for k, gap in enumerate(gaps[:2]):
            status = WORK_STATES[(n + k) % len(WORK_STATES)]
            _work(building, [gap], status, this_fy - (k % 2), rng, n * 10 + k)
            works += 1
        del latest
        if branch.latitude is None:
            continue
        for k, kind in enumerate([TreeSite.Kind.GROUND, TreeSite.Kind.WALL][: 1 + n % 2]):
            lat = Decimal(branch.latitude) + Decimal("0.0003") * (k + 1)
            lon = Decimal(branch.longitude) + Decimal("0.0002") * (k + 1)
            site = TreeSite.objects.create(
                branch=branch, name_th=f"{'ผนังเขียว' if kind == 'wall' else 'แปลงปลูก'} {k + 1} {LABEL}", kind=kind,
                latitude=lat.quantize(Decimal("0.000001")), longitude=lon.quantize(Decimal("0.000001")),
                district_code=geo.district_of(float(lat), float(lon)) or branch.district.code,
                area_m2=Decimal(rng.randrange(20, 400, 5)), surveyed_on=today - timedelta(days=200), is_demo=True,
                soil=TreeSite.Soil.CONTAINER if kind == "wall" else TreeSite.Soil.LOAM)
            sites += 1
            pool = [s for s in species if (s.form == "climber") == (kind == "wall")]
            for sp in rng.sample(pool, k=min(2, len(pool))):
                planned = rng.randint(5, 60)
                planted = planned if rng.random() < 0.7 else 0
                planting = Planting.objects.create(site=site, species=sp, planned=planned, planted=planted,
                                                   planted_on=today - timedelta(days=150) if planted else None)
                if planted:
                    SurvivalCheck.objects.create(planting=planting, checked_on=today - timedelta(days=20),
                                                 alive=planted - rng.randint(0, max(1, planted // 5)))
    _say(stdout, f"facilities: {len(branches)} buildings with audits, {works} works, {sites} planting sites\n")
