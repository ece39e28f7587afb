"""Copy cataloguing: search this catalogue's own /sru and YAZ's Z39.50 test server, compare, import, overlay."""
import shutil
import socket
import subprocess
import time

import pytest

from bkklib.catalog.models import Record
from bkklib.catalog.tests.factories import RecordFactory
from bkklib.circulation.tests.conftest import load_reference_data
from bkklib.core import roles
from bkklib.core.exceptions import DomainError
from bkklib.interop import copycat, services
from bkklib.interop.models import CopyTarget
from bkklib.network.tests.factories import BranchFactory, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_sru(live_server, transactional_db):
    load_reference_data()
    source = RecordFactory(title="ลุงบุญมีระลึกชาติ", author="อภิชาติพงศ์ วีระเศรษฐกุล", isbn="9786167051000")
    target = CopyTarget.objects.create(name="bkklib SRU", kind="sru", address=f"{live_server.url}/sru")
    return source, target


def test_sru_search_import_and_overlay(own_sru):
    source, target = own_sru
    (candidate,) = copycat.search(target, "title", "ลุงบุญมีระลึกชาติ")
    assert candidate.title.startswith("ลุงบุญมีระลึกชาติ") and "อภิชาติพงศ์" in candidate.author
    copy = services.import_copy(candidate.marc, source=target.name, user=None)
    assert copy.pk != source.pk and copy.title == source.title
    assert copy.history.first().history_change_reason == "คัดลอกจาก bkklib SRU"
    poor = RecordFactory(title="ลุงบุญมี (ระเบียนย่อ)", author="")
    overlaid = services.import_copy(candidate.marc, source=target.name, user=None, overlay=poor)
    assert overlaid.pk == poor.pk and overlaid.title == source.title
    assert Record.objects.count() == 3
    with pytest.raises(DomainError, match="dc.price|ไม่|Unsupported|field"):
        copycat.search(target, "price", "x")


def test_staff_pages_search_compare_import(client, own_sru):
    source, target = own_sru
    branch = BranchFactory()
    user = staff_user(roles.BRANCH_LIBRARIAN, branch, username="cataloguer")
    client.force_login(user)
    page = client.get("/staff/interop/copy/", {"target": target.pk, "index": "title", "terms": "ลุงบุญมีระลึกชาติ"})
    html = page.content.decode()
    assert page.status_code == 200 and "ลุงบุญมีระลึกชาติ" in html and "พบ 1 ระเบียน" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    compare = client.post("/staff/interop/copy/compare/", {"token": token}).content.decode()
    assert "245" in compare and "ลุงบุญมีระลึกชาติ" in compare
    done = client.post("/staff/interop/copy/import/", {"token": token})
    assert done.status_code == 302 and Record.objects.count() == 2
    expired = client.post("/staff/interop/copy/import/", {"token": token + "x"})
    assert "ค้นหาอีกครั้ง" in expired.content.decode() or expired.status_code in (400, 302)
    assert Record.objects.count() == 2
    # From a record's page: the tool to look for a better record elsewhere.
    detail = client.get(f"/staff/catalog/records/{source.pk}/")
    assert f"/staff/interop/copy/?overlay={source.pk}" in detail.content.decode()


@pytest.mark.skipif(not shutil.which("yaz-ztest"), reason="yaz is not installed (scripts/system-deps.sh)")
def test_z3950_against_yaz_ztest(transactional_db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["yaz-ztest", f"tcp:127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        target = CopyTarget.objects.create(name="YAZ test server", kind="z3950", address=f"127.0.0.1:{port}/Default")
        candidates = copycat.search(target, "any", "computer")
        assert candidates and all(c.marc.get("fields") for c in candidates)
        load_reference_data()
        copy = services.import_copy(candidates[0].marc, source=target.name, user=None)
        assert Record.objects.filter(pk=copy.pk).exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
