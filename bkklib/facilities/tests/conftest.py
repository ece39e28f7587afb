"""Fixtures of the facilities tests: a branch with a building, its librarian, a network admin, the checklist."""
import io
from dataclasses import dataclass

import pytest
from PIL import Image

from bkklib.core import roles
from bkklib.facilities.models import Building, Checklist
from bkklib.network.models import Branch
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import BuildingFactory


@dataclass
class Site:
    branch: Branch
    building: Building
    checklist: Checklist
    librarian: object
    admin: object
    other_branch: Branch


@pytest.fixture
def site(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    branch = BranchFactory(code="bangkhen", name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    other = BranchFactory(code="thonburi", name_th="ห้องสมุดฝั่งธนบุรี")
    return Site(branch=branch, building=BuildingFactory(branch=branch, name_th="อาคารห้องสมุด"),
                checklist=Checklist.objects.get(version="2548-2564-r1"),
                librarian=staff_user(roles.BRANCH_LIBRARIAN, branch),
                admin=staff_user(roles.NETWORK_ADMIN), other_branch=other)


def jpeg_bytes(size=(2400, 1800), gps: bool = False) -> bytes:
    """A JPEG photo; with ``gps`` it carries an EXIF position (13°45'36" N, 100°30' E) and a time taken."""
    image = Image.new("RGB", size, (40, 110, 70))
    exif = Image.Exif()
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (13.0, 45.0, 36.0), 3: "E", 4: (100.0, 30.0, 0.0)})
        exif.get_ifd(0x8769)[0x9003] = "2026:12:05 09:30:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()
