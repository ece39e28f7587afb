"""Fixtures of the cases tests: the real 2025 holiday table, two branches, the structure in force with a
unit and its head, a service category, and staff of each kind."""
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from bkklib.cases.models import Category, ClockUnit
from bkklib.core import roles
from bkklib.network.models import Branch, OrgUnit, OrgVersion, Position, UnitBranch
from bkklib.network.services import load_holidays
from bkklib.network.tests.factories import BranchFactory, StaffMemberFactory, staff_user

BKK = ZoneInfo("Asia/Bangkok")


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BKK)


@dataclass
class Site:
    branch: Branch
    other: Branch
    unit: OrgUnit
    category: Category
    admin: object
    librarian: object
    other_librarian: object
    head: object


@pytest.fixture
def site(db):
    cache.clear()
    load_holidays(years=[2025, 2026])
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    other = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้ภาษีเจริญ")
    version = OrgVersion.objects.create(name_th="โครงสร้าง 2568", effective_from=date(2024, 10, 1))
    unit = OrgUnit.objects.create(version=version, code="library-1", name_th="กลุ่มงานห้องสมุดและการเรียนรู้ 1")
    UnitBranch.objects.create(version=version, unit=unit, branch=branch)
    UnitBranch.objects.create(version=version, unit=unit, branch=other)
    head_member = StaffMemberFactory(user__email="head@example.org", user__username="head")
    Position.objects.create(unit=unit, code="head", title_th="หัวหน้ากลุ่มงาน", is_head=True, holder=head_member)
    category = Category.objects.create(code="service", name_th="การให้บริการของเจ้าหน้าที่", response_amount=1,
                                       response_unit=ClockUnit.BUSINESS_DAYS, resolution_amount=3,
                                       resolution_unit=ClockUnit.BUSINESS_DAYS)
    return Site(branch=branch, other=other, unit=unit, category=category,
                admin=staff_user(roles.NETWORK_ADMIN, branch, username="admin", email="admin@example.org"),
                librarian=staff_user(roles.BRANCH_LIBRARIAN, branch, username="bangkhen",
                                     email="bk@example.org"),
                other_librarian=staff_user(roles.BRANCH_LIBRARIAN, other, username="phasi"),
                head=head_member.user)


def complaint(site, *, now, anonymous=False, branch=None, **kwargs):
    from bkklib.cases import services

    fields = {"kind": "complaint", "title": "เจ้าหน้าที่ไม่ให้บริการ", "description": "รอที่เคาน์เตอร์นานเกิน 30 นาที",
              "category": site.category, "branch": branch or site.branch, "requester_name": "สมหญิง รักอ่าน",
              "requester_phone": "0812345678", "requester_email": "somying@example.org", "is_anonymous": anonymous}
    fields.update(kwargs)
    return services.file_case(now=now, **fields)
