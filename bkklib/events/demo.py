"""Demo events for ``bkklib seed_demo``: the festival calendar, FY 2569 projects, activities and attendance.

Synthetic and labelled ``(ข้อมูลสาธิต)`` / ``is_demo``. The twelve monthly festivals of the current
year (and of the months of FY 2569 before it) are pre-filled, with the Bangkok book festival in
March; the official month-by-month list is not confirmed, so every festival is editable data.
The projects of fiscal year 2569 (1 Oct 2025 – 30 Sep 2026) repeat the activity types of FY 2565:
youth learning-process activities, "เปิดโลกนิทาน" storytelling every Saturday, Thai Language Day
(29 July) and Seri Thai (Thai Peace) Day (16 August). Past sessions carry attendance (walk-in
counts by age group and gender, check-ins); sessions to come carry registrations.
Deterministic (a fixed seed) and idempotent (a second run adds nothing).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bkklib.network.models import Branch

from . import notices, rules
from .models import Activity, Festival, Gender, Project, ProjectTarget, Registration, Session, WalkIn

LABEL = "(ข้อมูลสาธิต)"
SEED = 2569
FY = 2569
FESTIVALS = {  # month: (Thai name, English name, theme)
    1: ("เทศกาลดนตรีในสวน", "Music in the Park Festival", "ดนตรีและการอ่านในสวนสาธารณะ"),
    2: ("เทศกาลตรุษจีนและวันแห่งความรัก", "Chinese New Year and Valentine's Festival", "วัฒนธรรมและความรัก"),
    3: ("เทศกาลหนังสือกรุงเทพฯ", "Bangkok Book Festival", "อ่านและเรียนรู้ทั้งเมือง (Read & Learn)"),
    4: ("เทศกาลสงกรานต์", "Songkran Festival", "ประเพณีไทยและครอบครัว"),
    5: ("เทศกาลศิลปะและการเรียนรู้", "Arts and Learning Festival", "ศิลปะสร้างสรรค์"),
    6: ("เทศกาลความหลากหลาย", "Diversity Festival", "ความเท่าเทียมและการยอมรับ"),
    7: ("เทศกาลภาษาไทย", "Thai Language Festival", "วันภาษาไทยแห่งชาติ 29 กรกฎาคม"),
    8: ("เทศกาลสันติภาพ", "Peace Festival", "วันสันติภาพไทย (เสรีไทย) 16 สิงหาคม"),
    9: ("เทศกาลกีฬาและสุขภาพ", "Sports and Health Festival", "การอ่านเพื่อสุขภาพ"),
    10: ("เทศกาลอาหารและวัฒนธรรม", "Food and Culture Festival", "อาหารไทยในวรรณกรรม"),
    11: ("เทศกาลลอยกระทง", "Loy Krathong Festival", "สายน้ำและวิถีชุมชน"),
    12: ("เทศกาลแสงสีปลายปี", "Year-end Lights Festival", "ส่งท้ายปีด้วยหนังสือ"),
}
PROJECTS = [  # key, name, objectives, budget, target activities, targets by age group
    ("youth", "โครงการพัฒนากระบวนการเรียนรู้สำหรับเด็กและเยาวชน", "ให้เด็กและเยาวชนได้เรียนรู้ผ่านกิจกรรมในห้องสมุด",
     Decimal("150000"), 12, {rules.CHILD: 150, rules.YOUTH: 200}),
    ("story", "โครงการเปิดโลกนิทาน", "ส่งเสริมการอ่านของเด็กปฐมวัยและครอบครัวด้วยการเล่านิทานทุกวันเสาร์",
     Decimal("80000"), 50, {rules.CHILD: 600, rules.ADULT: 300}),
    ("thai", "โครงการวันภาษาไทยแห่งชาติ", "ส่งเสริมการใช้ภาษาไทยและรำลึกวันภาษาไทยแห่งชาติ 29 กรกฎาคม",
     Decimal("50000"), 4, {rules.CHILD: 100, rules.YOUTH: 100, rules.ADULT: 50}),
    ("peace", "โครงการวันสันติภาพไทย (เสรีไทย)", "รำลึกวันสันติภาพไทย 16 สิงหาคม และเรียนรู้ประวัติศาสตร์ขบวนการเสรีไทย",
     Decimal("50000"), 3, {rules.YOUTH: 120, rules.ADULT: 80, rules.SENIOR: 40}),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _saturdays(first: date, last: date) -> list[date]:
    day = first + timedelta(days=(5 - first.weekday()) % 7)
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=7)
    return days


def run(stdout=None, scale: float = 1.0) -> None:
    """Create the demo festivals, projects and activities unless they are already there."""
    notices.ensure_templates()
    today = timezone.localdate()
    with transaction.atomic():
        made = _festivals(today)
        if Project.objects.filter(is_demo=True, fiscal_year=FY).exists():
            if stdout:
                stdout.write(f"  events: demo projects of FY {FY} already there ({made} festivals added)")
            return
        branches = list(Branch.objects.filter(is_demo=True, status=Branch.Status.OPEN).order_by("code")[:6]) or list(
            Branch.objects.order_by("code")[:6])
        if not branches:
            if stdout:
                stdout.write("  events: no branches yet (run the network demo first); festivals only")
            return
        counts = _programme(branches, today, random.Random(SEED))
    if stdout:
        stdout.write(f"  events: {made} festivals, " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def _festivals(today: date) -> int:
    """The twelve festivals of the current year, and the FY 2569 months from October 2025 on."""
    months = [(today.year, m) for m in range(1, 13)] + [(2025, m) for m in (10, 11, 12)] + [
        (2026, m) for m in range(1, 10)]
    made = 0
    for year, month in sorted(set(months)):
        name_th, name_en, theme = FESTIVALS[month]
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        _row, created = Festival.objects.get_or_create(year=year, month=month, defaults={
            "name_th": f"{name_th} {LABEL}", "name_en": name_en, "theme": theme, "starts_on": first,
            "ends_on": last, "is_demo": True})
        made += created
    return made


def _festival(day: date) -> Festival | None:
    return Festival.objects.filter(year=day.year, month=day.month).first()


def _programme(branches: list[Branch], today: date, rnd: random.Random) -> dict:
    projects = {}
    for key, name, objectives, budget, target, groups in PROJECTS:
        project = Project.objects.create(fiscal_year=FY, name=f"{name} {LABEL}", objectives=objectives, budget=budget,
                                         target_activities=target, is_demo=True)
        ProjectTarget.objects.bulk_create([ProjectTarget(project=project, age_group=g, participants=n)
                                           for g, n in groups.items()])
        projects[key] = project
    fy_start, fy_end = date(2025, 10, 1), date(2026, 9, 30)
    main, second = branches[0], branches[min(1, len(branches) - 1)]
    plans = [
        # project, title, branch, place, ages, capacity, (hour, minutes), days, description
        ("story", "เปิดโลกนิทาน: เล่านิทานวันเสาร์", main, "", (3, 10), 25, (10, 60),
         _saturdays(fy_start, max(fy_end, today + timedelta(days=90))),
         "นักเล่านิทานและอาสาสมัครเล่านิทานภาพสำหรับเด็กเล็กและผู้ปกครองทุกวันเสาร์ พร้อมกิจกรรมระบายสี"),
        ("youth", "ค่ายนักสืบห้องสมุด: ทักษะการค้นคว้าสำหรับเยาวชน", second, "", (10, 18), 30, (13, 180),
         [date(2025, 11, 15), date(2026, 1, 17), date(2026, 3, 14), date(2026, 5, 16), date(2026, 8, 22)],
         "เยาวชนฝึกค้นหาข้อมูลจากหนังสือและฐานข้อมูล ทำโครงงานเล็ก ๆ เป็นกลุ่ม"),
        ("youth", "อ่านเปลี่ยนเมือง: เวทีนักอ่านรุ่นใหม่ในเทศกาลหนังสือ", main, "", (12, 24), 40, (14, 120),
         [date(2026, 3, 21), date(2026, 3, 28)], "เยาวชนเล่าหนังสือเล่มโปรดและแลกเปลี่ยนกับนักเขียน"),
        ("thai", "วันภาษาไทยแห่งชาติ: ประกวดคัดลายมือและอ่านทำนองเสนาะ", main, "", (7, 60), 60, (9, 240),
         [date(2026, 7, 29)], "รำลึกวันภาษาไทยแห่งชาติ 29 กรกฎาคม ประกวดคัดลายมือ อ่านทำนองเสนาะ และนิทรรศการ"),
        ("thai", "ภาษาไทยนอกห้องเรียน ที่โรงเรียนในชุมชน", second, "โรงเรียนในชุมชนใกล้ห้องสมุด", (9, 12), 50,
         (9, 120), [date(2026, 7, 30)], "ห้องสมุดออกไปจัดกิจกรรมเกมภาษาไทยที่โรงเรียน"),
        ("peace", "วันสันติภาพไทย ๘๑ ปี: เสวนาเสรีไทยกับประวัติศาสตร์กรุงเทพฯ", main, "", (13, None), 80, (13, 180),
         [date(2026, 8, 16)], "เสวนาและนิทรรศการเนื่องในวันสันติภาพไทย 16 สิงหาคม"),
        (None, "เทศกาลแสงสีปลายปี: นิทานคริสต์มาสและปีใหม่", second, "", (4, 12), 30, (15, 90),
         [today + timedelta(days=d) for d in (10, 17)], "เล่านิทานและประดิษฐ์การ์ดปีใหม่"),
    ]
    counts = {"activities": 0, "sessions": 0, "walk-in rows": 0, "registrations": 0}
    from bkklib.circulation.models import Patron

    patrons = list(Patron.objects.filter(is_demo=True, status=Patron.Status.ACTIVE).order_by("card_number")[:60])
    for key, title, branch, place, (low, high), capacity, (hour, minutes), days, description in plans:
        first_day = days[0]
        activity = Activity.objects.create(
            title=title, description=f"{description} {LABEL}", branch=branch, place=place,
            audience="เด็กและครอบครัว" if low < 10 else "เยาวชนและประชาชนทั่วไป", min_age=low, max_age=high,
            registration=Activity.Registration.REQUIRED, capacity=capacity, waitlist=True,
            festival=_festival(first_day) if len(days) < 5 else None, project=projects.get(key),
            organiser=f"{branch.name_th}", partner="สำนักงานเขต" if place else "",
            status=Activity.Status.PUBLISHED, repeat_weekly_until=days[-1] if len(days) > 5 else None, is_demo=True)
        counts["activities"] += 1
        for day in days:
            start = _at(day, hour)
            session = Session.objects.create(activity=activity, starts_at=start,
                                             ends_at=start + timedelta(minutes=minutes), room="ห้องกิจกรรม")
            counts["sessions"] += 1
            if day < today:
                cells = []
                for group in rules.AGE_GROUPS:
                    if not rules.group_fits(group, low, high):
                        continue
                    for gender in (Gender.FEMALE, Gender.MALE):
                        cells.append(WalkIn(session=session, age_group=group, gender=gender, count=rnd.randint(1, 9)))
                WalkIn.objects.bulk_create(cells)
                counts["walk-in rows"] += len(cells)
                session.outcome = "ผู้เข้าร่วมสนใจดี ขอให้จัดต่อเนื่อง " + LABEL
                session.save(update_fields=["outcome"])
            elif day <= today + timedelta(days=30) and patrons:
                chosen = rnd.sample(patrons, min(len(patrons), rnd.randint(5, capacity + 3)))
                rows = []
                for patron in chosen:
                    age = rules.age_on(patron.birth_date, day) if patron.birth_date else 30
                    if not rules.age_fits(age, low, high):
                        continue
                    position = session.next_position
                    session.next_position += 1
                    admitted = sum(1 for r in rows if r.status == Registration.Status.REGISTERED)
                    rows.append(Registration(
                        session=session, patron=patron, age_group=rules.age_group_of(age),
                        status=Registration.Status.REGISTERED if admitted < capacity else Registration.Status.WAITLISTED,
                        position=position, channel=Registration.Channel.ACCOUNT,
                        registered_at=timezone.now() - timedelta(days=1)))
                Registration.objects.bulk_create(rows)
                session.save(update_fields=["next_position"])
                counts["registrations"] += len(rows)
    return counts
