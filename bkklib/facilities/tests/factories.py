"""Factories of the facilities tests."""
from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from bkklib.facilities.models import Building, Species, TreeSite
from bkklib.network.tests.factories import BranchFactory


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    branch = factory.SubFactory(BranchFactory)
    name_th = factory.Sequence(lambda n: f"อาคาร {n}")
    area_m2 = Decimal("850.0")
    year_built_be = 2540


class TreeSiteFactory(DjangoModelFactory):
    class Meta:
        model = TreeSite

    branch = factory.SubFactory(BranchFactory)
    name_th = factory.Sequence(lambda n: f"แปลงปลูก {n}")
    latitude = Decimal("13.756300")  # Phra Nakhon (1001)
    longitude = Decimal("100.501800")
    district_code = "1001"
    area_m2 = Decimal("40.0")
    surveyed_on = date(2025, 6, 2)


def species(code: str = "cassia-fistula") -> Species:
    return Species.objects.get(code=code)
