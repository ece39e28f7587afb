"""Fixtures of the volunteers tests: two branches, criteria, a role, an open call, staff of each kind,
an accepted volunteer with an agreement in force, a fixed clock in June 2025."""
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from stdnum.th import pin

from bkklib.core import roles
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, district, staff_user
from bkklib.volunteers import services
from bkklib.volunteers.models import Call, Criteria, Role, Volunteer

BKK = ZoneInfo("Asia/Bangkok")
NOW = datetime(2025, 6, 2, 10, 0, tzinfo=BKK)  # Monday 2 มิ.ย. 2568, 10.00
TODAY = NOW.date()


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=BKK)


def thai_id(twelve: str) -> str:
    """Return a valid 13-digit Thai ID from its first twelve digits."""
    return twelve + pin.calc_check_digit(twelve)


def born(years: int, days_after: int = 0) -> date:
    """Return a birth date making the person exactly ``years`` old on TODAY (``days_after``: younger by days)."""
    from datetime import timedelta

    return date(TODAY.year - years, TODAY.month, TODAY.day) + timedelta(days=days_after)


@dataclass
class World:
    branch: Branch
    other_branch: Branch
    criteria: Criteria
    role: Role
    call: Call
    librarian: object  # branch librarian of ``branch``: may see sensitive fields
    desk: object  # branch staff of ``branch``: roster and desk, no sensitive fields
    other_librarian: object  # librarian of ``other_branch``
    volunteer: Volunteer


def application_data(**over) -> dict:
    data = {"first_name": "สมใจ", "last_name": "ใฝ่ดี", "national_id": thai_id("110170020345"),
            "birth_date": born(30), "phone": "0812345678", "email": "somjai@example.org",
            "district": district("1001"), "address": "99 ถนนราชดำเนินกลาง แขวงบวรนิเวศ",
            "health_notes": "แพ้ฝุ่น", "hours_per_week": 6, "skills": "เล่านิทาน",
            "documents": "สำเนาบัตรประชาชน"}
    data.update(over)
    return data


def accepted_volunteer(call, librarian, *, twelve="310170020345", first_name="วันดี", now=NOW) -> Volunteer:
    application = services.apply(call=call, **application_data(national_id=thai_id(twelve), first_name=first_name),
                                 now=now)
    services.decide(application=application, by=librarian, accept=True, reason="ผ่านการสัมภาษณ์", now=now)
    return Volunteer.objects.get(application=application)


@pytest.fixture
def world(db) -> World:
    branch = BranchFactory(code="bangkhen", name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    other = BranchFactory(code="thonburi", name_th="ห้องสมุดฝั่งธนบุรี")
    criteria = Criteria.objects.create(name="เกณฑ์ทั่วไป", min_age=15, consent_below_age=18, min_hours_per_week=4,
                                       skills="เล่านิทาน, คอมพิวเตอร์", documents="สำเนาบัตรประชาชน")
    role = Role.objects.create(name_th="ผู้ช่วยมุมเด็ก", duties="จัดชั้นหนังสือเด็ก เล่านิทาน", counts_in_coverage=True)
    call = Call.objects.create(branch=branch, role=role, criteria=criteria, title="รับอาสาสมัครมุมเด็ก", wanted=3,
                               opens_on=date(2025, 5, 1), closes_on=date(2025, 7, 31))
    librarian = staff_user(roles.BRANCH_LIBRARIAN, branch, username="lib-bangkhen")
    desk = staff_user(roles.BRANCH_STAFF, branch, username="desk-bangkhen")
    other_librarian = staff_user(roles.BRANCH_LIBRARIAN, other, username="lib-thonburi")
    volunteer = accepted_volunteer(call, librarian)
    return World(branch, other, criteria, role, call, librarian, desk, other_librarian, volunteer)


@pytest.fixture
def placed(world) -> World:
    """``world`` with the volunteer's agreement accepted (in force from 1 June 2025)."""
    agreement = services.offer_agreement(volunteer=world.volunteer, by=world.librarian, branch=world.branch,
                                         role=world.role, starts_on=date(2025, 6, 1), duties="เล่านิทานวันเสาร์",
                                         notice_days=5, handover="คืนกุญแจตู้\nส่งต่อรายชื่อเด็กในกิจกรรม", now=NOW)
    services.accept_agreement(agreement=agreement, volunteer=world.volunteer, now=NOW)
    world.agreement = agreement
    return world
