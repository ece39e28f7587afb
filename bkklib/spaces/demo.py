"""Demo spaces: co-working desks and rooms at 12 demo branches, rules, a month of past use and upcoming bookings.

Deterministic and idempotent; every name carries ``(ข้อมูลสาธิต)`` and rows are ``is_demo``. The
policy is "co-working in 12 libraries first": the demo branches offering the ``co-working`` service
get spaces; when fewer than 12 do, more demo public libraries are given the service.
"""
from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bkklib.circulation.models import Patron
from bkklib.network.models import Branch, Service

from . import queries, rules
from .models import Booking, Space, SpaceRule

LABEL = "(ข้อมูลสาธิต)"
SEED = 2568
COWORKING_BRANCHES = 12

ROOMS = [
    # code, kind, Thai name, English name, capacity, features, public
    ("desk-{n}", Space.Kind.DESK, "โต๊ะโคเวิร์กกิง {n}", "Co-working desk {n}", 1, "ปลั๊กไฟ, Wi-Fi, โคมไฟ", True),
    ("meeting-1", Space.Kind.MEETING_ROOM, "ห้องประชุมกลุ่มย่อย", "Small meeting room", 8,
     "จอทีวี, ไวต์บอร์ด, ปลั๊กไฟ, Wi-Fi", True),
    ("activity-1", Space.Kind.ACTIVITY_ROOM, "ห้องกิจกรรม", "Activity room", 30, "โปรเจกเตอร์, เครื่องเสียง, เก้าอี้ 30 ตัว",
     True),
]
CITY_EXTRA = [
    ("maker-1", Space.Kind.MAKERSPACE, "เมกเกอร์สเปซ", "Makerspace", 12, "เครื่องพิมพ์ 3 มิติ, เครื่องตัดเลเซอร์", True),
    ("gallery-1", Space.Kind.EXHIBITION, "ลานสร้างสรรค์และนิทรรศการ", "Creative and exhibition space", 80,
     "ผนังจัดแสดง, ไฟส่อง", False),
    ("garden-1", Space.Kind.OUTDOOR, "ลานกิจกรรมกลางแจ้ง", "Outdoor activity area", 60, "ร่มเงา, ปลั๊กไฟกันน้ำ", True),
]


def _branches() -> list[Branch]:
    coworking, _ = Service.objects.get_or_create(code="co-working", defaults={"name_th": "พื้นที่โคเวิร์กกิง",
                                                                              "name_en": "Co-working space"})
    demo = Branch.objects.filter(is_demo=True, status=Branch.Status.OPEN)
    chosen = list(demo.filter(services=coworking).order_by("code")[:COWORKING_BRANCHES])
    if len(chosen) < COWORKING_BRANCHES:
        more = (demo.exclude(pk__in=[b.pk for b in chosen])
                .filter(kind__in=[Branch.Kind.PUBLIC_LIBRARY, Branch.Kind.CITY_LIBRARY, Branch.Kind.LEARNING_CENTRE])
                .order_by("code")[:COWORKING_BRANCHES - len(chosen)])
        for branch in more:
            branch.services.add(coworking)
            chosen.append(branch)
    return chosen


def _rules() -> None:
    defaults = {
        "": {"slot_minutes": 60, "window_days": 14, "max_hours_per_day": 4, "max_hours_per_week": 12},
        Space.Kind.DESK: {"slot_minutes": 60, "window_days": 7, "max_hours_per_day": 4, "max_hours_per_week": 12,
                          "cancel_cutoff_minutes": 30},
        Space.Kind.MEETING_ROOM: {"slot_minutes": 60, "window_days": 30, "max_hours_per_day": 3,
                                  "max_hours_per_week": 6, "buffer_minutes": 0, "min_notice_minutes": 60},
        Space.Kind.ACTIVITY_ROOM: {"slot_minutes": 60, "window_days": 60, "max_hours_per_day": 4,
                                   "max_hours_per_week": 8, "requires_approval": True, "min_notice_minutes": 1440},
    }
    for kind, values in defaults.items():
        SpaceRule.objects.get_or_create(branch=None, kind=kind, defaults=values)


def run(stdout=None, scale: float = 1.0) -> None:
    """Create the demo spaces and bookings unless they are already there."""
    if Space.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write(f"  spaces: {Space.objects.filter(is_demo=True).count()} demo spaces already there")
        return
    with transaction.atomic():
        _rules()
        branches = _branches()
        spaces = []
        for i, branch in enumerate(branches):
            desks = 8 if branch.kind == Branch.Kind.CITY_LIBRARY else 4
            rows = [(code.format(n=n), kind, th.format(n=n), en.format(n=n), cap, feat, public)
                    for code, kind, th, en, cap, feat, public in ROOMS[:1] for n in range(1, desks + 1)]
            rows += ROOMS[1:] + (CITY_EXTRA if branch.kind == Branch.Kind.CITY_LIBRARY else [])
            for code, kind, th, en, cap, feat, public in rows:
                spaces.append(Space.objects.create(
                    branch=branch, code=code, kind=kind, name_th=f"{th} {LABEL}", name_en=f"{en} (demo)", capacity=cap,
                    features=feat, is_public=public, is_step_free=i % 3 != 2, has_accessible_toilet=i % 2 == 0,
                    description=f"{th} ของ{branch.name_th} {LABEL}", is_demo=True))
        made = _bookings(spaces, scale)
    if stdout:
        stdout.write(f"  spaces: {len(spaces)} spaces at {len(branches)} co-working branches, {made} bookings")


def _bookings(spaces: list[Space], scale: float) -> int:
    """A month of past use (checked in, some no-shows) and the coming week, never overlapping."""
    rng = random.Random(SEED)
    patrons = list(Patron.objects.filter(is_demo=True, status=Patron.Status.ACTIVE).order_by("pk")[:400])
    if not patrons:
        return 0
    now = timezone.now()
    today = timezone.localdate(now)
    rows = []
    by_branch: dict[int, list[Space]] = {}
    for space in spaces:
        by_branch.setdefault(space.branch_id, []).append(space)
    for branch_spaces in by_branch.values():
        branch = branch_spaces[0].branch
        cal = queries.calendar(branch, today - timedelta(days=30), today + timedelta(days=7))
        day = today - timedelta(days=30)
        while day <= today + timedelta(days=7):
            info = cal.day(day)
            for space in branch_spaces:
                if info.closed or not space.is_public:
                    continue
                for start, end in rules.day_slots(day, info.periods, 60):
                    if rng.random() > 0.35 * min(scale, 1.0) + 0.05:
                        continue
                    starts_at, ends_at = queries.aware(start), queries.aware(end)
                    if ends_at <= now:
                        status = Booking.Status.NO_SHOW if rng.random() < 0.08 else Booking.Status.CHECKED_IN
                    elif starts_at <= now:
                        continue
                    else:
                        status = Booking.Status.CONFIRMED
                    rows.append(Booking(
                        space=space, branch=branch, patron=rng.choice(patrons), kind=Booking.Kind.ONLINE,
                        status=status, starts_at=starts_at, ends_at=ends_at,
                        people=1 if space.capacity == 1 else rng.randint(1, min(space.capacity, 6)),
                        created_at=starts_at - timedelta(days=rng.randint(1, 6)),
                        checked_in_at=starts_at + timedelta(minutes=rng.randint(0, 10))
                        if status == Booking.Status.CHECKED_IN else None,
                        cancelled_at=starts_at + timedelta(minutes=15) if status == Booking.Status.NO_SHOW else None,
                        is_demo=True))
            day += timedelta(days=1)
    Booking.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
