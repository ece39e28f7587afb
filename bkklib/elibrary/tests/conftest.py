"""Fixtures of the e-library tests: a private MEDIA_ROOT, a patron with a PIN, titles with licences, the clock."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bkklib.circulation.services import patrons as patron_services
from bkklib.circulation.tests.factories import PatronFactory

from .. import epubgen
from ..models import Licence
from ..services import ingest

BKK = ZoneInfo("Asia/Bangkok")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BKK)
TODAY = NOW.date()
PIN = "4826"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def patron(db):
    reader = PatronFactory()
    patron_services.set_pin(reader, PIN)
    reader.refresh_from_db()
    return reader


@pytest.fixture
def other_patrons(db):
    return [PatronFactory() for _n in range(4)]


def thai_book(n: int = 1, **extra) -> epubgen.Book:
    fields = {"title": f"ตำนานแม่น้ำเจ้าพระยา เล่ม {n}", "authors": ["สุนทร ภูริพัฒน์"], "language": "th",
              "identifier": f"urn:uuid:test-{n:05d}", "subjects": ["ประวัติศาสตร์ไทย", "นิทานพื้นบ้าน"],
              "description": "เรื่องเล่าริมน้ำ", "publisher": "สำนักพิมพ์ทดสอบ", "date": "2567-05-01",
              "chapters": [("บทที่ 1", ["น้ำขึ้นให้รีบตัก"] * 3), ("บทที่ 2", ["ปลาใหญ่กินปลาเล็ก"] * 3)]}
    fields.update(extra)
    return epubgen.Book(**fields)


def make_title(n: int = 1, *, kind: str | None = "open", copies=None, loans_total=None, expires_on=None,
               starts_on=date(2026, 1, 1), **book):
    import io

    title = ingest.ingest(io.BytesIO(epubgen.build(thai_book(n, **book))), filename=f"book-{n}.epub",
                          now=NOW - timedelta(days=1))
    if kind:
        Licence.objects.create(title=title, kind=kind, copies=copies, loans_total=loans_total, starts_on=starts_on,
                               expires_on=expires_on, price=100 if kind != "open" else 0)
    return title


@pytest.fixture
def title_factory(db):
    return make_title
