"""Demo casework: service categories with their standards, a month of requests and complaints at demo
branches (some answered, closed and rated), a field visit with action items and an audit report with
findings. Deterministic and idempotent; every title carries ``(ข้อมูลสาธิต)`` and rows are ``is_demo``.
"""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from bkklib.network.models import Branch

from . import services
from .models import AuditReport, Case, Category, ClockUnit, Visit

LABEL = "(ข้อมูลสาธิต)"
SEED = 2569

CATEGORIES = [
    # code, Thai name, response (unit, amount), resolution (unit, amount)
    ("service", "การให้บริการของเจ้าหน้าที่", (ClockUnit.BUSINESS_DAYS, 1), (ClockUnit.BUSINESS_DAYS, 7)),
    ("facilities", "อาคารสถานที่และสิ่งอำนวยความสะดวก", (ClockUnit.BUSINESS_DAYS, 1), (ClockUnit.BUSINESS_DAYS, 15)),
    ("collection", "หนังสือและทรัพยากรสารสนเทศ", (ClockUnit.BUSINESS_DAYS, 2), (ClockUnit.BUSINESS_DAYS, 30)),
    ("membership", "การสมัครสมาชิกและบัตรห้องสมุด", (ClockUnit.BUSINESS_HOURS, 4), (ClockUnit.BUSINESS_DAYS, 3)),
    ("elibrary", "ห้องสมุดอิเล็กทรอนิกส์และเว็บไซต์", (ClockUnit.BUSINESS_DAYS, 1), (ClockUnit.BUSINESS_DAYS, 5)),
]
SUBJECTS = [
    ("complaint", "facilities", "เครื่องปรับอากาศไม่เย็น", "ห้องอ่านหนังสือชั้น 2 ร้อนมาก", "คอมเพรสเซอร์เสื่อม"),
    ("complaint", "service", "รอคิวสมัครสมาชิกนาน", "เจ้าหน้าที่มีคนเดียวช่วงพักกลางวัน", "เจ้าหน้าที่ไม่พอช่วงพักกลางวัน"),
    ("request", "collection", "ขอให้จัดหาหนังสือนิทานภาษาอังกฤษ", "สำหรับเด็กอายุ 5–7 ปี", ""),
    ("suggestion", "elibrary", "อยากให้ยืม e-book ได้นานขึ้น", "7 วันอ่านไม่ทัน", ""),
    ("compliment", "service", "ชมเชยบรรณารักษ์", "ช่วยหาข้อมูลทำรายงานอย่างดี", ""),
    ("complaint", "facilities", "ไฟห้องน้ำดับ", "ห้องน้ำหญิงไฟดับสองดวง", "หลอดไฟหมดอายุ"),
    ("complaint", "service", "ไม่มีเจ้าหน้าที่ที่เคาน์เตอร์", "รอ 20 นาที", "เจ้าหน้าที่ไม่พอช่วงพักกลางวัน"),
]


@transaction.atomic
def run(stdout=None, scale: float = 1.0) -> None:
    rng = random.Random(SEED)
    for order, (code, name, response, resolution) in enumerate(CATEGORIES):
        Category.objects.update_or_create(code=code, defaults={
            "name_th": name, "response_unit": response[0], "response_amount": response[1],
            "resolution_unit": resolution[0], "resolution_amount": resolution[1], "order": order, "is_demo": True})
    branches = list(Branch.objects.filter(is_demo=True).order_by("code")[:8])
    if not branches or Case.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write("cases: demo data already present or no demo branches\n")
        return
    now = timezone.now()
    categories = {c.code: c for c in Category.objects.all()}
    count = max(1, int(40 * scale))
    for n in range(count):
        kind, category, title, details, cause = SUBJECTS[n % len(SUBJECTS)]
        filed = now - timedelta(days=rng.randint(1, 45), hours=rng.randint(0, 8))
        case = services.file_case(
            kind=kind, title=f"{title} {LABEL}", description=details, category=categories[category],
            branch=branches[n % len(branches)], channel=rng.choice(["web", "web", "phone", "walk_in", "line", "letter"]),
            requester_name=f"ผู้แจ้งสาธิต {n + 1}", requester_phone=f"08{n:08d}", is_anonymous=(n % 9 == 4),
            now=filed)
        case.is_demo = True
        case.save(update_fields=["is_demo"])
        if n % 4 == 3:
            continue  # left open
        done = filed + timedelta(hours=rng.randint(2, 200))
        if done >= now:
            continue
        services.answer(case=case, text="ห้องสมุดได้ดำเนินการแก้ไขเรียบร้อยแล้ว ขอบคุณที่แจ้ง", by=None, now=done)
        services.close(case=case, by=None, root_cause=cause or "ไม่ใช่ปัญหาเชิงระบบ",
                       preventive_action="ทบทวนขั้นตอนในการประชุมประจำเดือน", now=done)
        if n % 3:
            services.rate(code=case.code, rating=rng.choice([3, 4, 4, 5, 5]), comment="", now=done)
    visit = Visit.objects.create(visited_on=timezone.localdate(now) - timedelta(days=3), is_demo=True,
                                 title=f"ผู้ว่าราชการกรุงเทพมหานครลงพื้นที่ {LABEL}", visitors="ผู้ว่าราชการ และคณะ")
    visit.branches.set(branches[:2])
    for branch, (title, details) in zip(branches[:2], (("ปรับปรุงมุมเด็กให้สว่างขึ้น", "เพิ่มไฟและชั้นหนังสือเตี้ย"),
                                                       ("ขยายเวลาเปิดวันเสาร์", "เสนอเปิดถึง 20.00 น.")), strict=True):
        item = services.file_case(kind="visit_item", title=f"{title} {LABEL}", description=details, branch=branch,
                                  visit=visit, channel="visit",
                                  now=timezone.make_aware(datetime.combine(visit.visited_on, time(15))))
        item.is_demo = True
        item.save(update_fields=["is_demo"])
    from bkklib.core.calendar import fiscal_year

    report = AuditReport.objects.create(fiscal_year=fiscal_year(timezone.localdate(now)),
                                        title=f"รายงานผลการตรวจสอบภายใน {LABEL}", auditor="หน่วยตรวจสอบภายใน",
                                        received_on=timezone.localdate(now) - timedelta(days=20), is_demo=True)
    for title, risk, days in (("ทะเบียนครุภัณฑ์ไม่เป็นปัจจุบัน", "high", 30), ("ค่าปรับไม่นำส่งภายในกำหนด", "medium", 60)):
        finding = services.file_case(kind="audit_finding", title=f"{title} {LABEL}", description="ตามรายงานหน้า 3",
                                     audit_report=report, risk=risk, recommendation="ปรับปรุงให้ถูกต้อง",
                                     agreed_action="จัดทำแผนแก้ไขและรายงานผล", channel="audit",
                                     due_on=timezone.localdate(now) + timedelta(days=days), now=now)
        finding.is_demo = True
        finding.save(update_fields=["is_demo"])
    if stdout:
        stdout.write(f"cases: {count} demo cases, 1 visit, 1 audit report\n")
