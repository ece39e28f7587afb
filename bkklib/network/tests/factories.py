"""Factories for the network app (also used by higher apps' tests)."""
from datetime import date, time

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from bkklib.core import roles
from bkklib.network.models import Assignment, Branch, District, OpeningPeriod, StaffMember


def district(code: str = "1001") -> District:
    """Return a real district (loaded by migration) by its code."""
    return District.objects.get(code=code)


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"t{n:04d}")
    name_th = factory.Sequence(lambda n: f"ห้องสมุดทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test library {n}")
    kind = Branch.Kind.PUBLIC_LIBRARY
    district = factory.LazyFunction(lambda: District.objects.get(code="1001"))

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        """Open Tue–Sun 09:00–17:00 by default; pass ``hours=[]`` for none or a list of (weekday, open, close)."""
        if not create:
            return
        periods = extracted if extracted is not None else [(d, time(9), time(17)) for d in range(1, 7)]
        for weekday, opens_at, closes_at in periods:
            OpeningPeriod.objects.create(branch=self, weekday=weekday, opens_at=opens_at, closes_at=closes_at)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "สมชาย"
    last_name = "ใจดี"
    password = factory.django.Password("pass-1234!")


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    employee_code = factory.Sequence(lambda n: f"E{n:05d}")
    first_name_th = "สมศรี"
    last_name_th = factory.Sequence(lambda n: f"ทดสอบ{n}")


def staff_user(role: str, *branches: Branch, starts_on: date = date(2000, 1, 1), **user_fields):
    """Return a user with ``role`` assigned (primary post) to each of ``branches``."""
    member = StaffMemberFactory(**({"user__" + k: v for k, v in user_fields.items()}))
    roles.sync_roles()
    member.user.groups.add(roles.group_for(role))
    for branch in branches:
        Assignment.objects.create(staff=member, branch=branch, starts_on=starts_on)
    return member.user
