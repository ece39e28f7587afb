"""One visit record per place and day, held by the database on both engines, a reading house's (no stop) too."""
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from bkklib.outreach.models import VisitRecord

from .factories import ReadingHouseFactory, StopFactory

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 2)


def test_a_second_record_of_a_reading_house_for_the_same_day_is_refused_by_the_database():
    house = ReadingHouseFactory()
    VisitRecord.objects.create(branch=house, stop=None, day=DAY, children=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        VisitRecord.objects.create(branch=house, stop=None, day=DAY, adults=2)

    VisitRecord.objects.create(branch=house, stop=None, day=date(2025, 6, 3))  # another day is another record
    assert VisitRecord.objects.filter(branch=house).count() == 2


def test_a_second_record_of_a_stop_for_the_same_day_is_refused_and_other_stops_are_not():
    stop = StopFactory()
    other = StopFactory(route=stop.route)
    unit = stop.route.vehicle.unit
    VisitRecord.objects.create(branch=unit, stop=stop, day=DAY)

    with pytest.raises(IntegrityError), transaction.atomic():
        VisitRecord.objects.create(branch=unit, stop=stop, day=DAY)

    VisitRecord.objects.create(branch=unit, stop=other, day=DAY)
    VisitRecord.objects.create(branch=unit, stop=None, day=DAY)
    assert VisitRecord.objects.filter(branch=unit, day=DAY).count() == 3


def test_model_validation_names_the_rule_in_thai():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    house = ReadingHouseFactory()
    VisitRecord.objects.create(branch=house, stop=None, day=DAY)
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        VisitRecord(branch=house, stop=None, day=DAY).validate_constraints()
    assert "สถานที่นี้มีบันทึกการให้บริการของวันนั้นแล้ว" in str(refused.value)
