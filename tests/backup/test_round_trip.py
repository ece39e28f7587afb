"""Backup → wipe → restore gives back every table and every media file, on SQLite and on PostgreSQL.

The data is made by the real services (records, items, patrons, loans, a fine, history rows, the
search index), plus uploaded files with Thai names; the wipe drops every table (PostgreSQL: the
whole schema) and the media folder; the restore must give identical row counts and identical
content digests of every table, and identical checksums of every file.
"""
import json
import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bkklib.catalog.tests.factories import ItemFactory
from bkklib.circulation import services
from bkklib.circulation.models import Loan
from bkklib.circulation.tests.factories import PatronFactory
from bkklib.core import backup, tasks
from bkklib.core import roles as core_roles
from bkklib.network.tests.factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db(transaction=True)
BKK = ZoneInfo("Asia/Bangkok")
TUE_10AM = datetime(2025, 6, 3, 10, 0, tzinfo=BKK)


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "news" / "2568").mkdir(parents=True)
    (root / "news" / "2568" / "ภาพงานสัปดาห์หนังสือ.jpg").write_bytes(bytes(range(256)) * 40)
    (root / "patrons").mkdir()
    (root / "patrons" / "photo-1.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 5000)
    (root / "empty.txt").write_bytes(b"")
    settings.MEDIA_ROOT = str(root)
    return root


def make_library_day():
    """Records, items, patrons, loans (one returned late: a fine) through the real services."""
    branch = BranchFactory(name_th="ห้องสมุดเพื่อการเรียนรู้บางเขน")
    staff = staff_user(core_roles.BRANCH_LIBRARIAN, branch)
    items = [ItemFactory(branch=branch) for _ in range(6)]
    patrons = [PatronFactory(home_branch=branch) for _ in range(3)]
    for i, item in enumerate(items[:4]):
        services.checkout(item=item, patron=patrons[i % 3], staff=staff, desk=branch, now=TUE_10AM)
    late = Loan.objects.filter(item=items[0]).get()
    services.checkin(item=items[0], staff=staff, desk=branch, now=TUE_10AM + timedelta(days=40))
    return late


def wipe(media_root):
    """Lose everything: every table (PostgreSQL: the schema) and the uploaded files."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in backup.manifest.table_names():
                if table in backup.manifest.table_names():  # an FTS5 table drops its shadow tables with it
                    cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert backup.manifest.table_names() == []
    shutil.rmtree(media_root)


def test_backup_wipe_restore_gives_back_every_table_and_file(media, tmp_path):
    make_library_day()
    counts, digests = backup.row_counts(), backup.table_digests()
    files = backup.media_checksums(media)
    assert counts["circulation_loan"] == 4 and counts["circulation_fine"] >= 1 and counts["catalog_item"] == 6
    assert len(files) == 3

    call_command("backup", str(tmp_path / "backups"))
    [folder] = backup.backups_in(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["row_counts"] == counts
    assert manifest["schema"]["circulation"].startswith("000") and manifest["bkklib_version"]
    assert manifest["media"] == files

    wipe(media)
    call_command("restore", str(folder), no_input=True)

    assert backup.row_counts() == counts
    assert backup.table_digests() == digests
    assert backup.media_checksums(media) == files
    assert Loan.objects.filter(returned_at__isnull=True).count() == 3  # the ORM works on the restored schema


def test_restore_refuses_a_damaged_or_newer_backup_and_changes_nothing(media, tmp_path):
    make_library_day()
    folder = backup.create(tmp_path / "b")
    before = backup.table_digests()
    (folder / "media" / "patrons" / "photo-1.png").write_bytes(b"tampered")
    with pytest.raises(CommandError, match=r"(?s)damaged.*photo-1\.png: checksum does not match"):
        call_command("restore", str(folder), no_input=True)
    database = folder / ("database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump")
    database.write_bytes(database.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(backup.BackupError, match=r"database\.\w+: checksum does not match"):
        backup.restore(folder)
    assert backup.table_digests() == before

    fresh = backup.create(tmp_path / "c")  # a backup made by a later release: refused, nothing touched
    path = fresh / "manifest.json"
    data = json.loads(path.read_text())
    data["schema"]["circulation"] = "0999_from_a_later_release"
    data["bkklib_version"] = "9.0.0"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=r"(?s)newer schema.*bkklib 9\.0\.0.*circulation\.0999_from_a_later_release"):
        call_command("restore", str(fresh), no_input=True)
    assert backup.table_digests() == before


def test_scheduled_backup_keeps_the_newest_and_clears_half_written_ones(media, tmp_path, settings):
    dest = tmp_path / "nightly"
    settings.BKKLIB = {**settings.BKKLIB, "BACKUP_DIR": str(dest), "BACKUP_KEEP": 2}
    (dest / "bkklib-backup-20250101T000000000000Z.partial").mkdir(parents=True)  # a run that crashed
    made = [tasks.scheduled_backup.call_local() for _ in range(3)]
    kept = backup.backups_in(dest)
    assert [p.name for p in kept] == [p.rsplit("/", 1)[1] for p in made[1:]]
    assert sorted(p.name for p in dest.iterdir()) == [p.name for p in kept]
    assert backup.check(kept[-1])["media"] == backup.media_checksums(media)
