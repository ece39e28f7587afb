"""A disk that fills up during a MARC export leaves no half-written file (and an older export intact).

The export writes into a small tmpfs mounted by the test (root only: mounting needs it).
"""
import os
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bkklib.catalog.tests.factories import RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the full-disk scenario mounts a 16 KiB tmpfs, which needs root (make test runs as root in CI)")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k,mode=0755", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_export_into_a_full_disk_fails_clearly_and_leaves_no_partial_file(small_disk, tmp_path):
    for n in range(60):
        RecordFactory(title=f"ประวัติศาสตร์กรุงรัตนโกสินทร์ เล่ม {n} " + "ก" * 300, author=f"ผู้แต่ง {n}")
    out = small_disk / "catalog.mrc"
    out.write_bytes(b"yesterday's export\x1d")
    with pytest.raises(CommandError, match=r"export failed, .*catalog\.mrc was not written: .*\(the disk is full\)"):
        call_command("export_marc", str(out), verbosity=0)
    assert sorted(p.name for p in small_disk.iterdir()) == ["catalog.mrc"]  # the partial file was removed
    assert out.read_bytes() == b"yesterday's export\x1d"

    roomy = tmp_path / "catalog.mrc"  # the same export where there is room: complete, every record
    call_command("export_marc", str(roomy), verbosity=0)
    assert roomy.read_bytes().count(b"\x1d") == 60
