"""PostgreSQL restarted in the middle of a MARC import: no record half-written, none lost or doubled.

``bkklib import_marc`` runs as its own process on the test database; the private cluster is
restarted under it. Each batch is one transaction, so a batch caught by the restart is reported
(failed, with the database's reason) and nothing of it stays; the operator runs the same import
again with ``--on-duplicate skip`` and every record of the file is in the catalog once, with its
identifiers and its search-index entry.
"""
import subprocess
import time

from django.db import connection

from bkklib.catalog.marc import writer
from bkklib.catalog.models import Record, RecordIdentifier
from bkklib.catalog.tests.factories import marc_record

from .conftest import MANAGE, PYTHON, ROOT

RECORDS = 2000


def write_file(path):
    with open(path, "wb") as out:
        for n in range(RECORDS):
            out.write(writer.to_iso2709(marc_record(f"นิทานพื้นบ้านภาคอีสาน เล่ม {n}", author=f"ผู้เล่า {n % 97}",
                                                    control_number=f"fault{n:06d}")))


def import_command(path, app_env, log):
    return subprocess.Popen([PYTHON, MANAGE, "import_marc", str(path), "--batch-size", "100", "--quiet-report",
                             "--on-duplicate", "skip", "--language", "en", "-v", "0"],
                            cwd=ROOT, env=app_env, stdout=log, stderr=subprocess.STDOUT)


def test_postgres_restart_during_a_marc_import_leaves_every_record_once(app_env, cluster, tmp_path):
    path = tmp_path / "records.mrc"
    write_file(path)
    with open(tmp_path / "import-1.log", "wb") as log:
        first = import_command(path, app_env, log)
        deadline = time.monotonic() + 120
        while Record.objects.count() < 300:
            assert first.poll() is None and time.monotonic() < deadline, (tmp_path / "import-1.log").read_text()
            time.sleep(0.05)
        cluster.restart()
        first.wait(timeout=180)
    during = Record.objects.count()
    report = (tmp_path / "import-1.log").read_text()
    assert during < RECORDS, "the restart did not catch the import"  # some batches were refused...
    assert "failed" in report or first.returncode != 0, report  # ...and the import says so

    with open(tmp_path / "import-2.log", "wb") as log:  # the operator runs the same import again
        second = import_command(path, app_env, log)
        second.wait(timeout=180)
    assert second.returncode == 0, (tmp_path / "import-2.log").read_text()

    assert Record.objects.count() == RECORDS
    controls = RecordIdentifier.objects.filter(kind=RecordIdentifier.Kind.CONTROL)
    assert controls.count() == controls.values("value").distinct().count() == RECORDS
    assert not Record.objects.filter(identifiers__isnull=True).exists()
    with connection.cursor() as cursor:  # every record has its search-index entry, and no entry is an orphan
        cursor.execute("SELECT COUNT(*) FROM search_searchdoc s JOIN catalog_record r ON r.id = s.id")
        assert cursor.fetchone()[0] == RECORDS
        cursor.execute("SELECT COUNT(*) FROM search_searchdoc")
        assert cursor.fetchone()[0] == RECORDS
