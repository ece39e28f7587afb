"""Demo e-library for ``bkklib seed_demo``: 200 real EPUB files with Thai text, licences of every model,
collections, a running campaign and a few loans (all labelled ``(ข้อมูลสาธิต)``).

Deterministic (fixed seed) and idempotent. The EPUB files are generated now into MEDIA_ROOT and
added through the real ingest path (metadata read back from each file, a catalog record each).
"""
from __future__ import annotations

import io
import random
import time
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from . import epubgen
from .models import Campaign, Collection, Licence, Title

LABEL = "(ข้อมูลสาธิต)"
SEED = 2569
COUNT = 200
SUBJECTS = ["นิทานพื้นบ้าน", "ประวัติศาสตร์ไทย", "วิทยาศาสตร์สำหรับเด็ก", "สุขภาพ", "อาหารไทย", "ท่องเที่ยวกรุงเทพฯ",
            "นวนิยาย", "กวีนิพนธ์", "การเงินส่วนบุคคล", "คอมพิวเตอร์"]
TOPICS = ["แม่น้ำเจ้าพระยา", "ตลาดน้ำ", "ช้างไทย", "ดวงดาว", "ขนมไทย", "ต้นไม้ในเมือง", "รถไฟสายเก่า", "วัดอรุณ",
          "ผีเสื้อ", "ฝนแรก", "ลายไทย", "เรือหางยาว", "ภาษาถิ่น", "นกเงือก", "สวนลุมพินี"]
FORMS = ["เรื่องเล่า", "คู่มือ", "สารคดี", "บันทึก", "นิทาน", "ความรู้เรื่อง"]
AUTHORS = ["สุนทร ภูริพัฒน์", "กนกวรรณ ศรีสวัสดิ์", "ประยูร อินทรสุข", "อรอุมา แก้วมณี", "ชาตรี บุญญาศิริ",
           "ปริญญา ทองคำ", "วรรณา ใจงาม", "Somsak Chantra"]
SENTENCES = ["เช้าวันนั้นท้องฟ้าแจ่มใส ลมพัดเย็นสบาย", "ผู้คนในชุมชนต่างออกมาช่วยกันทำความสะอาดริมคลอง",
             "หนังสือเล่มนี้เล่าเรื่องราวที่ส่งต่อกันมาหลายชั่วอายุคน", "เด็ก ๆ นั่งฟังคุณยายเล่านิทานอย่างตั้งใจ",
             "ห้องสมุดเป็นพื้นที่ที่ทุกคนเข้ามาเรียนรู้ได้โดยไม่เสียค่าใช้จ่าย", "น้ำในแม่น้ำไหลเอื่อยผ่านบ้านเรือนริมฝั่ง",
             "เสียงระฆังจากวัดดังแว่วมาในยามเย็น", "การอ่านวันละนิดช่วยให้จิตใจแจ่มใสและมีสมาธิ"]


def book(n: int, rng: random.Random) -> epubgen.Book:
    topic, form = TOPICS[n % len(TOPICS)], FORMS[(n // len(TOPICS)) % len(FORMS)]
    subjects = rng.sample(SUBJECTS, 2)
    chapters = [(f"บทที่ {c}", [" ".join(rng.sample(SENTENCES, 4)) for _p in range(6)]) for c in range(1, 4)]
    return epubgen.Book(
        title=f"{form}{topic} เล่ม {n} {LABEL}", authors=[rng.choice(AUTHORS)], language="th",
        identifier=f"urn:uuid:bkklib-demo-ebook-{n:05d}", subjects=subjects,
        description=f"{form}เกี่ยวกับ{topic} สำหรับผู้อ่านทุกวัย {LABEL}", publisher="สำนักวัฒนธรรม กีฬา และการท่องเที่ยว",
        date=f"{2560 + n % 9}-01-01", chapters=chapters)


def _licence(title: Title, n: int, today) -> Licence:
    """Most demo titles are open access; every tenth has a paid model, one of each kind in turn."""
    kind = n % 40
    if kind == 10:
        return Licence(title=title, kind=Licence.Kind.PERPETUAL, copies=2, starts_on=today - timedelta(days=200),
                       price=Decimal("350.00"), vendor=f"Demo vendor {LABEL}", reference=f"P-{n}", is_demo=True)
    if kind == 20:
        return Licence(title=title, kind=Licence.Kind.METERED, copies=1, loans_total=26, loans_used=24,
                       starts_on=today - timedelta(days=300), expires_on=today + timedelta(days=65),
                       price=Decimal("280.00"), vendor=f"Demo vendor {LABEL}", reference=f"M-{n}", is_demo=True)
    if kind == 30:
        return Licence(title=title, kind=Licence.Kind.CONCURRENT, copies=5, starts_on=today - timedelta(days=100),
                       expires_on=today + timedelta(days=20), price=Decimal("1500.00"), vendor=f"Demo vendor {LABEL}",
                       reference=f"C-{n}", is_demo=True)
    if kind == 0:
        return Licence(title=title, kind=Licence.Kind.PERPETUAL, copies=1, starts_on=today - timedelta(days=30),
                       price=Decimal("250.00"), vendor=f"Demo vendor {LABEL}", reference=f"P1-{n}", is_demo=True)
    return Licence(title=title, kind=Licence.Kind.OPEN, starts_on=today - timedelta(days=365), is_demo=True)


def run(stdout=None, scale: float = 1.0) -> None:
    from .services import ingest

    if Title.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write(f"  elibrary: {Title.objects.filter(is_demo=True).count()} demo e-books already there")
        return
    started = time.monotonic()
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate(now)
    titles = []
    for n in range(1, COUNT + 1):
        data = epubgen.build(book(n, rng))
        titles.append(ingest.ingest(io.BytesIO(data), filename=f"demo-{n:05d}.epub", is_demo=True,
                                    now=now - timedelta(hours=COUNT - n)))
    Licence.objects.bulk_create([_licence(t, n, today) for n, t in enumerate(titles, 1)])
    collections = []
    for slug, name, subject in (("folk-tales", "นิทานพื้นบ้านน่าอ่าน", "นิทานพื้นบ้าน"),
                                ("thai-history", "ประวัติศาสตร์ไทยฉบับอ่านง่าย", "ประวัติศาสตร์ไทย"),
                                ("bangkok", "เที่ยวกรุงเทพฯ ผ่านหนังสือ", "ท่องเที่ยวกรุงเทพฯ")):
        collection = Collection.objects.create(name=f"{name} {LABEL}", slug=slug, featured=True, is_demo=True,
                                               description=f"คัดสรรโดยบรรณารักษ์ห้องสมุดกรุงเทพมหานคร {LABEL}")
        collection.titles.set([t for t in titles if subject in t.subjects][:20])
        collections.append(collection)
    Campaign.objects.create(name=f"เดือนแห่งการอ่านออนไลน์ {LABEL}", starts_on=today - timedelta(days=7),
                            ends_on=today + timedelta(days=23), featured=True, festival="เทศกาลหนังสือกรุงเทพฯ",
                            collection=collections[0], is_demo=True,
                            description=f"ยืม e-book ฟรีด้วยบัตรห้องสมุด อ่านได้ทุกที่ {LABEL}")
    _demo_loans(titles, now)
    if stdout:
        stdout.write(f"  elibrary: {len(titles)} demo EPUB e-books, {len(collections)} collections "
                     f"in {time.monotonic() - started:.1f} s")


def _demo_loans(titles, now) -> None:
    """A few readers borrow (through the real verb) so the account, statistics and dashboard show something."""
    from bkklib.circulation.models import Patron

    from .services import lending

    patrons = list(Patron.objects.filter(is_demo=True, status=Patron.Status.ACTIVE).order_by("card_number")[:8])
    for number, patron in enumerate(patrons):
        for title in titles[number * 3: number * 3 + 2]:
            try:
                lending.borrow(patron=patron, title=title, now=now - timedelta(days=number))
            except Exception:  # noqa: BLE001 - demo data: a patron who may not borrow simply does not
                continue
