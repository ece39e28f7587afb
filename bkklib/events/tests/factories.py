"""Factories of the events tests."""
from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from bkklib.events.models import Activity, Festival, Project, Session
from bkklib.network.tests.factories import BranchFactory


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    fiscal_year = 2569
    name = factory.Sequence(lambda n: f"โครงการส่งเสริมการอ่าน {n}")
    target_activities = 4


class FestivalFactory(DjangoModelFactory):
    class Meta:
        model = Festival
        django_get_or_create = ("year", "month")

    year = 2026
    month = 3
    name_th = "เทศกาลหนังสือกรุงเทพฯ"
    name_en = "Bangkok Book Festival"
    starts_on = factory.LazyAttribute(lambda o: __import__("datetime").date(o.year, o.month, 1))
    ends_on = factory.LazyAttribute(lambda o: __import__("datetime").date(o.year, o.month, 28))


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"เปิดโลกนิทาน ครั้งที่ {n}")
    description = "เล่านิทานสำหรับเด็กและครอบครัว"
    branch = factory.SubFactory(BranchFactory)
    status = Activity.Status.PUBLISHED
    registration = Activity.Registration.REQUIRED
    capacity = 20


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    starts_at = None
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
