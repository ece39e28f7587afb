"""Round-trip cases of the facilities model forms, in the format of tests/test_model_forms.py's CASES.

tests/test_model_forms.py (not this app's file) needs one entry per model form of the project; merge
these with ``CASES.update(facilities_cases())`` there. test_forms.py runs the same round trip here.
"""
from datetime import date
from decimal import Decimal


def _branch():
    from bkklib.network.models import District
    from bkklib.network.tests.factories import BranchFactory

    return BranchFactory(name_th="ห้องสมุดประชาชนเขตคลองเตย", district=District.objects.get(code="1033"))


def building_case():
    from bkklib.facilities.models import Building

    branch = _branch()
    return Building.objects.create(branch=branch, name_th="อาคารห้องสมุด", area_m2=Decimal("850.5"),
                                   year_built_be=2538, owner="district", owner_note="สำนักงานเขตคลองเตย",
                                   accessibility_summary="ทางลาดหน้าอาคาร\nห้องส้วมคนพิการชั้น 1"), {}


def floor_case():
    from bkklib.facilities.models import Floor

    building, _ = building_case()
    return Floor.objects.create(building=building, level=-1, name_th="ชั้นใต้ดิน", area_m2=Decimal("120.5")), {}


def room_case():
    from bkklib.facilities.models import Room

    floor, _ = floor_case()
    return Room.objects.create(floor=floor, name_th="ห้องอ่านหนังสือเด็ก", area_m2=Decimal("48.0")), {
        "building": floor.building}


def tree_site_case():
    from bkklib.facilities.models import TreeSite

    return TreeSite.objects.create(branch=_branch(), name_th="ผนังเขียวทิศตะวันตก", kind="wall",
                                   latitude=Decimal("13.722345"), longitude=Decimal("100.559876"),
                                   district_code="1033", area_m2=Decimal("24.5"), soil="container", sun="part",
                                   surveyed_on=date(2026, 12, 7), note="ติดถนนพระรามสี่\nฝุ่นมาก"), {}


def facilities_cases() -> dict:
    from tests.test_model_forms import Case

    return {"BuildingForm(facilities.Building)": [Case(building_case)],
            "FloorForm(facilities.Floor)": [Case(floor_case)],
            "RoomForm(facilities.Room)": [Case(room_case)],
            "TreeSiteForm(facilities.TreeSite)": [Case(tree_site_case)]}
