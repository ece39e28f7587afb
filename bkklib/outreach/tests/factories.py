"""Factories of the outreach tests."""
from datetime import date, time

import factory
from factory.django import DjangoModelFactory

from bkklib.network.models import Branch, District
from bkklib.network.tests.factories import BranchFactory
from bkklib.outreach.models import Route, Stop, Timetable, Vehicle


class UnitFactory(BranchFactory):
    kind = Branch.Kind.MOBILE_UNIT
    name_th = factory.Sequence(lambda n: f"รถห้องสมุดเคลื่อนที่ {n}")


class ReadingHouseFactory(BranchFactory):
    kind = Branch.Kind.READING_HOUSE
    name_th = factory.Sequence(lambda n: f"บ้านหนังสือชุมชน {n}")


class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = Vehicle

    unit = factory.SubFactory(UnitFactory)
    name_th = factory.Sequence(lambda n: f"รถห้องสมุด {n}")
    plate = factory.Sequence(lambda n: f"40-{n:04d} กรุงเทพมหานคร")
    capacity = 3000


class RouteFactory(DjangoModelFactory):
    class Meta:
        model = Route

    vehicle = factory.SubFactory(VehicleFactory)
    code = factory.Sequence(lambda n: f"route-{n}")
    name_th = factory.Sequence(lambda n: f"สายทดสอบ {n}")


class StopFactory(DjangoModelFactory):
    class Meta:
        model = Stop

    route = factory.SubFactory(RouteFactory)
    code = factory.Sequence(lambda n: f"stop-{n}")
    name_th = factory.Sequence(lambda n: f"โรงเรียนวัดทดสอบ {n}")
    district = factory.LazyFunction(lambda: District.objects.get(code="1001"))
    latitude = 13.7563
    longitude = 100.5018
    audience = Stop.Audience.SCHOOL


class TimetableFactory(DjangoModelFactory):
    class Meta:
        model = Timetable

    stop = factory.SubFactory(StopFactory)
    weekday = 0
    arrives_at = time(9, 30)
    departs_at = time(11, 30)
    valid_from = date(2025, 1, 1)
