"""Demo volunteers: criteria, roles, calls at demo branches, applicants at each stage, volunteers with agreements,
a roster of shifts with hours, an evaluation form, benefits and welfare given.

Deterministic and idempotent; names carry ``(ข้อมูลสาธิต)`` and rows are ``is_demo``; national IDs are
generated with a valid check digit from a demo range (they belong to nobody).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.th import pin

from bkklib.network.models import Branch

from . import protect
from .models import (
    Agreement,
    Application,
    Benefit,
    Call,
    Criteria,
    EvaluationCriterion,
    EvaluationForm,
    Role,
    Shift,
    Signup,
    Swap,
    Volunteer,
    WelfareRecord,
)
from .services import DEFAULT_CONDUCT

LABEL = "(ข้อมูลสาธิต)"
SEED = 2568
FIRST = ["กมล", "จันทร์เพ็ญ", "ชยพล", "ณัฐธิดา", "ธนากร", "นภัส", "ปิยะพงษ์", "พิมพ์ชนก", "ภูริ", "มณีรัตน์", "วรเชษฐ์",
         "ศศิธร"]
LAST = ["ใจดี", "รักการอ่าน", "แสงทอง", "บุญมา", "ศรีสุข", "มั่นคง"]
ROLES = [("ผู้ช่วยมุมเด็กและเล่านิทาน", "เล่านิทาน จัดกิจกรรมมุมเด็ก ดูแลความเรียบร้อยของมุมเด็ก", True),
         ("ผู้ช่วยบริการบ้านหนังสือ", "เปิด–ปิดบ้านหนังสือ ให้บริการยืม–คืน จัดชั้นหนังสือ", True),
         ("อาสาสมัครสอนคอมพิวเตอร์", "สอนการใช้คอมพิวเตอร์และโทรศัพท์แก่ผู้สูงอายุ", False)]


def _id(n: int) -> str:
    twelve = f"9{n:011d}"
    return twelve + pin.calc_check_digit(twelve)


@transaction.atomic
def run(stdout=None, scale: float = 1.0) -> None:
    if Call.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write(f"  volunteers: {Volunteer.objects.filter(is_demo=True).count()} demo volunteers already there")
        return
    rng = random.Random(SEED)
    branches = list(Branch.objects.filter(is_demo=True, status=Branch.Status.OPEN).order_by("code")[:4])
    if not branches:
        return
    now = timezone.now()
    today = timezone.localdate(now)
    criteria, _ = Criteria.objects.get_or_create(name=f"เกณฑ์รับอาสาสมัครทั่วไป {LABEL}", defaults={
        "min_age": 15, "consent_below_age": 18, "min_hours_per_week": 3, "documents": "สำเนาบัตรประชาชน"})
    roles = [Role.objects.get_or_create(name_th=name, defaults={"duties": duties, "counts_in_coverage": counts})[0]
             for name, duties, counts in ROLES]
    for kind, name, amount in ((Benefit.Kind.MEAL, "ค่าอาหารกลางวันวันปฏิบัติงาน", Decimal("80")),
                               (Benefit.Kind.TRAVEL, "ค่าเดินทาง", Decimal("60")),
                               (Benefit.Kind.INSURANCE, "ประกันอุบัติเหตุกลุ่ม", None),
                               (Benefit.Kind.CERTIFICATE, "เกียรติบัตรชั่วโมงอาสาสมัคร", None)):
        Benefit.objects.get_or_create(name_th=name, kind=kind, defaults={"amount": amount,
                                                                         "in_force_from": date(2024, 10, 1)})
    meal = Benefit.objects.get(kind=Benefit.Kind.MEAL, name_th="ค่าอาหารกลางวันวันปฏิบัติงาน")
    form, created = EvaluationForm.objects.get_or_create(
        name=f"แบบประเมินอาสาสมัคร ครึ่งปีงบประมาณ {LABEL}",
        defaults={"period_start": today - timedelta(days=180), "period_end": today + timedelta(days=30)})
    if created:
        for order, (name, weight) in enumerate((("ความตรงต่อเวลา", 2), ("การบริการผู้ใช้", 3), ("การทำงานเป็นทีม", 1))):
            EvaluationCriterion.objects.create(form=form, name=name, weight=weight, max_score=5, order=order)
    n = 0
    volunteers = 0
    for b_index, branch in enumerate(branches):
        role = roles[b_index % len(roles)]
        call = Call.objects.create(branch=branch, role=role, criteria=criteria, is_demo=True, wanted=4,
                                   title=f"รับสมัคร{role.name_th} {branch.name_th} {LABEL}",
                                   opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=60))
        for k in range(max(2, int(6 * scale))):
            n += 1
            status = [Application.Status.SUBMITTED, Application.Status.SCREENED, Application.Status.INTERVIEW,
                      Application.Status.ACCEPTED, Application.Status.ACCEPTED, Application.Status.REJECTED][k % 6]
            digits = _id(n)
            first, last = rng.choice(FIRST), f"{rng.choice(LAST)} {LABEL}"
            app = Application.objects.create(
                call=call, branch=branch, first_name=first, last_name=last, birth_date=date(1970 + rng.randint(0, 35),
                                                                                            rng.randint(1, 12), 1),
                phone=f"08{rng.randint(10000000, 99999999)}", national_id_hash=protect.fingerprint(digits),
                national_id_sealed=protect.seal(digits), address_sealed=protect.seal(f"{rng.randint(1, 300)} ถนนสาธิต"),
                hours_per_week=rng.randint(3, 10), skills="เล่านิทาน", documents="สำเนาบัตรประชาชน", status=status,
                submitted_at=now - timedelta(days=rng.randint(5, 25)), is_demo=True,
                decided_at=now - timedelta(days=2) if status in ("accepted", "rejected") else None,
                decision_reason={"accepted": "ผ่านการสัมภาษณ์", "rejected": "ช่วงเวลาว่างไม่ตรงกับความต้องการ"}.get(status, ""))
            if status != Application.Status.ACCEPTED:
                continue
            volunteers += 1
            volunteer = Volunteer.objects.create(
                application=app, branch=branch, code=f"VD{n:05d}", first_name=first, last_name=last,
                phone=app.phone, national_id_hash=app.national_id_hash, national_id_sealed=app.national_id_sealed,
                address_sealed=app.address_sealed, skills=app.skills, is_demo=True)
            Agreement.objects.create(volunteer=volunteer, branch=branch, role=role, starts_on=today - timedelta(days=60),
                                     duties=role.duties, code_of_conduct=DEFAULT_CONDUCT, status=Agreement.Status.ACTIVE,
                                     accepted_at=now - timedelta(days=60), handover="คืนบัตรอาสาสมัคร",
                                     created_at=now - timedelta(days=61), is_demo=True)
            for week in range(1, 5):
                day = today - timedelta(days=7 * week)
                start = timezone.make_aware(datetime.combine(day, time(9)))
                shift, _ = Shift.objects.get_or_create(branch=branch, role=role, starts_at=start,
                                                       ends_at=start + timedelta(hours=3),
                                                       defaults={"places": 3, "is_demo": True})
                Signup.objects.create(shift=shift, volunteer=volunteer, branch=branch,
                                      signed_up_at=start - timedelta(days=3),
                                      status=Signup.Status.CHECKED_OUT, checked_in_at=start, check_method="desk",
                                      checked_out_at=start + timedelta(hours=3), minutes=180,
                                      approved_at=start + timedelta(hours=4))
                WelfareRecord.objects.create(volunteer=volunteer, benefit=meal, branch=branch, given_on=day,
                                             amount=meal.amount)
        upcoming = []
        for week in range(0, 3):
            day = today + timedelta(days=2 + 7 * week)
            start = timezone.make_aware(datetime.combine(day, time(13)))
            upcoming.append(Shift.objects.get_or_create(
                branch=branch, role=role, starts_at=start, ends_at=start + timedelta(hours=3),
                defaults={"places": 2, "is_demo": True, "note": LABEL})[0])
        placed = Volunteer.objects.filter(branch=branch, is_demo=True).order_by("code").first()
        if placed is not None:  # one volunteer offers their next shift to anyone placed there (a swap to show)
            signup = Signup.objects.create(shift=upcoming[0], volunteer=placed, branch=branch, signed_up_at=now)
            Swap.objects.create(signup=signup, requested_at=now)
    if stdout:
        stdout.write(f"  volunteers: {n} demo applications, {volunteers} volunteers at {len(branches)} branches")
