"""Factories of the spaces tests."""
import factory
from factory.django import DjangoModelFactory

from bkklib.network.tests.factories import BranchFactory
from bkklib.spaces.models import Space


class SpaceFactory(DjangoModelFactory):
    class Meta:
        model = Space

    branch = factory.SubFactory(BranchFactory)
    code = factory.Sequence(lambda n: f"desk-{n}")
    name_th = factory.Sequence(lambda n: f"โต๊ะทำงาน {n}")
    name_en = factory.Sequence(lambda n: f"Desk {n}")
    kind = Space.Kind.DESK
    capacity = 1
