"""The demo catalog (``bkklib seed_demo``): synthetic Thai and English books with items at the demo branches.

Deterministic (a fixed seed), idempotent (nothing is added once the demo records are there) and
loaded through the real import path: records are built by the cataloguing rules, written as
ISO 2709 with 952 holdings fields, and imported by ``importer.import_marc``, so the demo also
exercises parsing, duplicate matching, item creation and indexing. Every record says it is demo
data in a 500 note ("ข้อมูลสาธิต / demo record") and carries ``is_demo``.
"""
import io
import random
import time
from datetime import date

from stdnum import ean

from bkklib.network.models import Branch

from .cataloguing import CommonFields, build_marc
from .importer import import_marc
from .marc.writer import to_iso2709
from .models import Record

DEMO_RECORDS = 20_000
DEMO_NOTE = "ข้อมูลสาธิต / demo record"
SEED = 2565

# (topic, Dewey class, subject heading): topics of a public library's non-fiction.
THAI_TOPICS = [
    ("การปลูกผักสวนครัว", "635", "ผัก -- การปลูก"), ("อาหารไทยภาคใต้", "641.59593", "อาหารไทย -- ตำรา"),
    ("ขนมไทย", "641.86", "ขนมไทย"), ("ภาษาอังกฤษเพื่อการสื่อสาร", "428", "ภาษาอังกฤษ -- การใช้ภาษา"),
    ("คณิตศาสตร์ประถมศึกษา", "372.7", "คณิตศาสตร์ -- การศึกษาและการสอน"), ("ดาราศาสตร์", "520", "ดาราศาสตร์"),
    ("การเงินส่วนบุคคล", "332.024", "การเงินส่วนบุคคล"), ("สุขภาพผู้สูงอายุ", "613.0438", "ผู้สูงอายุ -- สุขภาพและอนามัย"),
    ("วัดในกรุงเทพมหานคร", "294.3435", "วัด -- ไทย -- กรุงเทพฯ"), ("แม่น้ำเจ้าพระยา", "959.3", "แม่น้ำเจ้าพระยา"),
    ("การถ่ายภาพ", "770", "การถ่ายภาพ"), ("การเขียนโปรแกรมไพทอน", "005.133", "ไพทอน (ภาษาคอมพิวเตอร์)"),
    ("ปัญญาประดิษฐ์", "006.3", "ปัญญาประดิษฐ์"), ("พระพุทธศาสนา", "294.3", "พุทธศาสนา"),
    ("โขน", "792.09593", "โขน"), ("ดนตรีไทย", "781.62", "ดนตรีไทย"), ("ผีเสื้อในประเทศไทย", "595.78", "ผีเสื้อ -- ไทย"),
    ("ป่าชายเลน", "577.698", "ป่าชายเลน"), ("การท่องเที่ยวเชิงนิเวศ", "338.4791", "การท่องเที่ยวเชิงนิเวศ"),
    ("ประวัติศาสตร์กรุงรัตนโกสินทร์", "959.303", "ไทย -- ประวัติศาสตร์ -- กรุงรัตนโกสินทร์"),
    ("สมุนไพรไทย", "615.321", "สมุนไพร -- ไทย"), ("การเลี้ยงดูเด็กปฐมวัย", "649.1", "การเลี้ยงดูเด็ก"),
    ("จิตวิทยาวัยรุ่น", "155.5", "วัยรุ่น -- จิตวิทยา"), ("กฎหมายแพ่งและพาณิชย์", "346.593", "กฎหมายแพ่ง -- ไทย"),
    ("การตลาดออนไลน์", "658.872", "การตลาดทางอินเทอร์เน็ต"), ("ภาษาไทย", "495.91", "ภาษาไทย -- ไวยากรณ์"),
    ("วรรณคดีไทย", "895.91", "วรรณคดีไทย -- ประวัติและวิจารณ์"), ("ศิลปะไทย", "709.593", "ศิลปกรรมไทย"),
    ("สถาปัตยกรรมไทย", "720.9593", "สถาปัตยกรรมไทย"), ("การออกกำลังกาย", "613.71", "การออกกำลังกาย"),
    ("โยคะ", "613.7046", "โยคะ"), ("การจัดสวน", "712", "การจัดสวน"), ("การเลี้ยงปลาสวยงาม", "639.34", "ปลาสวยงาม"),
    ("ภูมิศาสตร์ประเทศไทย", "915.93", "ไทย -- ภูมิศาสตร์"), ("การเมืองไทย", "320.9593", "ไทย -- การเมืองและการปกครอง"),
    ("เศรษฐกิจพอเพียง", "338.1", "เศรษฐกิจพอเพียง"), ("การอ่านสำหรับเด็ก", "028.5", "หนังสือกับการอ่าน"),
    ("ห้องสมุดประชาชน", "027.4", "ห้องสมุดประชาชน"), ("พลังงานทดแทน", "333.794", "พลังงานทดแทน"),
    ("การแพทย์แผนไทย", "615.882", "การแพทย์แผนไทย"),
]
THAI_PREFIXES = ["", "คู่มือ", "ความรู้เบื้องต้นเกี่ยวกับ", "เรียนรู้", "เคล็ดลับ", "หลักการ", "เทคนิค", "โลกของ",
                 "เรื่องเล่า", "สารานุกรม", "ก้าวแรกสู่", "รู้ทัน", "เจาะลึก"]
THAI_SUFFIXES = ["", "", "", "ฉบับปรับปรุง", "สำหรับผู้เริ่มต้น", "ฉบับการ์ตูน", "สำหรับเยาวชน", "ในชีวิตประจำวัน",
                 "ยุคดิจิทัล"]
THAI_NOVEL_WORDS = ["เงา", "ฝน", "ดาว", "ทะเล", "หัวใจ", "รัก", "บ้าน", "แสงจันทร์", "สายลม", "ความฝัน", "เมืองหลวง",
                    "สายน้ำ", "ดอกไม้", "ฤดูร้อน", "ภูเขา", "คืนเดือนหงาย", "ทุ่งนา", "ริมคลอง", "ตะวัน", "นกขมิ้น"]
THAI_NOVEL_PATTERNS = ["{a}แห่ง{b}", "{a}ใน{b}", "{a}กับ{b}", "{a}ริม{b}", "ปลายทาง{a}", "{a}ที่หายไป", "บันทึก{a}"]
THAI_GIVEN = ["สมชาย", "สมศรี", "วิชัย", "มาลี", "ประเสริฐ", "กมลา", "อรรถพล", "ศิริพร", "ธนากร", "พิมพ์ชนก", "สุนทร",
              "อัญชลี", "ชาตรี", "วรรณา", "ปกรณ์", "นิภา", "ณัฐวุฒิ", "จันทร์เพ็ญ", "เกษม", "รัตนา", "บุญมี", "ลำดวน"]
THAI_FAMILY = ["ใจดี", "รักไทย", "ศรีสุข", "วงศ์สวัสดิ์", "แก้วมณี", "ทองคำ", "บุญญาศิริ", "พรหมวงศ์", "สุขสวัสดิ์",
               "อ่อนสาคาม", "จันทร์หอม", "ศักดิ์ศรี", "มั่นคง", "ประเสริฐวงศ์", "เพชรรัตน์", "ชัยมงคล"]
THAI_PUBLISHERS = [
    ("กรุงเทพฯ", "มติชน"), ("กรุงเทพฯ", "นานมีบุ๊คส์"), ("กรุงเทพฯ", "อมรินทร์"), ("กรุงเทพฯ", "ซีเอ็ดยูเคชั่น"),
    ("กรุงเทพฯ", "แสงดาว"), ("กรุงเทพฯ", "ผีเสื้อ"), ("กรุงเทพฯ", "สำนักพิมพ์แห่งจุฬาลงกรณ์มหาวิทยาลัย"),
    ("กรุงเทพฯ", "สำนักพิมพ์มหาวิทยาลัยธรรมศาสตร์"), ("นนทบุรี", "สำนักพิมพ์มหาวิทยาลัยสุโขทัยธรรมาธิราช"),
    ("เชียงใหม่", "ซิลค์เวอร์ม"), ("กรุงเทพฯ", "สำนักวัฒนธรรม กีฬา และการท่องเที่ยว กรุงเทพมหานคร"),
    ("กรุงเทพฯ", "แพรวสำนักพิมพ์"), ("กรุงเทพฯ", "สารคดี"),
]
ENGLISH_TOPICS = [
    ("Thai cooking", "641.59593", "Cooking, Thai"), ("Urban gardening", "635", "Urban gardening"),
    ("Python programming", "005.133", "Python (Computer program language)"),
    ("Machine learning", "006.31", "Machine learning"), ("The history of Bangkok", "959.3", "Bangkok (Thailand) -- History"),
    ("Buddhism", "294.3", "Buddhism"), ("Personal finance", "332.024", "Finance, Personal"),
    ("Climate change", "363.73874", "Climate changes"), ("Public libraries", "027.4", "Public libraries"),
    ("Children's literature", "809.89282", "Children's literature -- History and criticism"),
    ("Photography", "770", "Photography"), ("Southeast Asian art", "709.59", "Art, Southeast Asian"),
    ("Astronomy", "520", "Astronomy"), ("Healthy ageing", "613.0438", "Older people -- Health and hygiene"),
    ("English grammar", "425", "English language -- Grammar"), ("World history", "909", "World history"),
    ("Marketing", "658.8", "Marketing"), ("Mangrove forests", "577.698", "Mangrove ecology"),
]
ENGLISH_PREFIXES = ["", "An introduction to", "A guide to", "Understanding", "The art of", "Essentials of",
                    "Learning", "A short history of", "Exploring"]
ENGLISH_NOVEL = ["The river at dusk", "A house of rain", "Night market", "The last monsoon", "Paper lanterns",
                 "The orchid keeper", "City of angels", "Salt and silk", "The floating garden", "A map of small things",
                 "Blue hour", "The ferryman's daughter", "Under the bodhi tree", "Letters from Thonburi"]
ENGLISH_GIVEN = ["John", "Mary", "David", "Sarah", "Michael", "Emma", "James", "Anna", "Peter", "Laura", "Robert"]
ENGLISH_FAMILY = ["Smith", "Brown", "Taylor", "Wilson", "Johnson", "Walker", "White", "Harris", "Clarke", "Lewis"]
ENGLISH_PUBLISHERS = [("London", "Penguin"), ("New York", "HarperCollins"), ("Oxford", "Oxford University Press"),
                      ("Sebastopol, CA", "O'Reilly Media"), ("Chiang Mai", "Silkworm Books"), ("Bangkok", "River Books"),
                      ("Singapore", "Springer")]
THAI_INITIALS = "กขคงจฉชซดตถทธนบปผพฟภมยรลวศสหอฮ"


def _isbn13(n: int, thai: bool) -> str:
    """Return a valid ISBN-13 unique to demo record ``n`` (978-616 is Thailand's prefix)."""
    body = ("978616" if thai else "978199") + f"{n % 1_000_000:06d}"
    return body + ean.calc_check_digit(body)


def _author_mark(rng: random.Random, name: str, title: str) -> str:
    """Return a Thai-style author mark: first letter of the name, three digits, first letter of the title."""
    first = next((c for c in name if c.isalpha()), "ก")
    title_letter = next((c for c in title if c in THAI_INITIALS or c.isalpha()), "ก")
    return f"{first}{rng.randrange(100, 999)}{title_letter.lower()}"


def demo_common(n: int, rng: random.Random) -> CommonFields:
    """Return the common fields of demo record ``n`` (deterministic for a given generator state)."""
    thai = rng.random() < 0.72
    fiction = rng.random() < 0.3
    year = rng.choice(range(1995, 2026)) if rng.random() < 0.9 else rng.choice(range(1960, 1995))
    if thai:
        author = f"{rng.choice(THAI_GIVEN)} {rng.choice(THAI_FAMILY)}"
        place, publisher = rng.choice(THAI_PUBLISHERS)
        if fiction:
            a, b = rng.sample(THAI_NOVEL_WORDS, 2)
            title = rng.choice(THAI_NOVEL_PATTERNS).format(a=a, b=b)
            subjects = ["นวนิยายไทย"] + (["เรื่องสั้นไทย"] if rng.random() < 0.2 else [])
            call = f"น {_author_mark(rng, author, title)}"
        else:
            topic, dewey, subject = rng.choice(THAI_TOPICS)
            title = (rng.choice(THAI_PREFIXES) + topic + (" " + rng.choice(THAI_SUFFIXES)).rstrip()).strip()
            subjects = [subject]
            call = f"{dewey} {_author_mark(rng, author, title)}"
        language = "tha"
    else:
        author = f"{rng.choice(ENGLISH_FAMILY)}, {rng.choice(ENGLISH_GIVEN)}"
        place, publisher = rng.choice(ENGLISH_PUBLISHERS)
        if fiction:
            title = rng.choice(ENGLISH_NOVEL)
            subjects = ["Thailand -- Fiction"] if rng.random() < 0.5 else ["Bangkok (Thailand) -- Fiction"]
            call = f"FIC {author[:3].upper()}"
        else:
            topic, dewey, subject = rng.choice(ENGLISH_TOPICS)
            title = f"{rng.choice(ENGLISH_PREFIXES)} {topic.lower() if rng.random() < 0.5 else topic}".strip()
            title = title[0].upper() + title[1:]
            subjects = [subject]
            call = f"{dewey} {author[:3].upper()}"
        language = "eng"
    volume = rng.random() < 0.06
    if volume:
        title += f" เล่ม {rng.randint(1, 5)}" if thai else f". Volume {rng.randint(1, 5)}"
    edition = (f"พิมพ์ครั้งที่ {rng.randint(2, 9)}" if thai else f"{rng.choice(['2nd', '3rd', '4th'])} ed.") \
        if rng.random() < 0.2 else ""
    return CommonFields(
        title=title, responsibility=author if thai else " ".join(reversed(author.split(", "))), author=author,
        edition=edition, place=place, publisher=publisher, year=year, language=language,
        isbns=[_isbn13(n, thai)] if rng.random() < 0.85 else [], subjects=subjects, notes=[DEMO_NOTE],
        call_number=call,
    )


def _holdings(n: int, rng: random.Random, branches: list[tuple[str, float]], common: CommonFields) -> list[dict]:
    if not branches:
        return []
    copies = rng.choices([1, 2, 3, 4], weights=[55, 28, 12, 5])[0]
    codes = [b for b, _w in branches]
    weights = [w for _b, w in branches]
    fields = []
    for copy in range(copies):
        code = rng.choices(codes, weights=weights)[0]
        children = any(s in common.title for s in ("การ์ตูน", "เยาวชน", "นิทาน"))
        subs = [{"a": code}, {"b": code}, {"c": "CHILD" if children else rng.choice(["GEN", "GEN", "GEN", "REF", "NEW"])},
                {"o": common.call_number}, {"p": f"39{n:08d}{copy:02d}"},
                {"y": "children" if children else ("reference" if rng.random() < 0.05 else "book")},
                {"g": f"{rng.choice([95, 120, 150, 185, 220, 250, 295, 350, 450, 590])}.00"},
                {"d": date(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)).isoformat()}]
        fields.append({"952": {"ind1": " ", "ind2": " ", "subfields": subs}})
    return fields


def _branch_weights() -> list[tuple[str, float]]:
    branches = list(Branch.objects.filter(is_demo=True).values_list("code", "kind")) or list(
        Branch.objects.values_list("code", "kind"))
    weight = {Branch.Kind.CITY_LIBRARY: 12.0, Branch.Kind.PUBLIC_LIBRARY: 4.0, Branch.Kind.LEARNING_CENTRE: 3.0,
              Branch.Kind.READING_HOUSE: 0.6, Branch.Kind.MOBILE_UNIT: 1.0}
    return [(code, weight.get(kind, 0.0)) for code, kind in branches if weight.get(kind, 0.0) > 0]


def demo_file(count: int, *, start: int = 1, branches: list[tuple[str, float]] | None = None) -> bytes:
    """Return ``count`` demo records as ISO 2709 with 952 holdings (also used by the import benchmark)."""
    rng = random.Random(SEED + start)
    today = date(2025, 6, 8)
    out = io.BytesIO()
    for n in range(start, start + count):
        common = demo_common(n, rng)
        marc = build_marc(common, other_fields=_holdings(n, rng, branches or [], common), today=today)
        marc["fields"].insert(0, {"001": f"demo{n:07d}"})
        marc["fields"].insert(1, {"003": "BKKLIB-DEMO"})
        out.write(to_iso2709(marc))
    return out.getvalue()


def run(stdout=None, scale: float = 1.0) -> None:
    """Load the demo catalog unless it is already there (idempotent)."""
    wanted = max(1, int(DEMO_RECORDS * scale))
    have = Record.objects.filter(is_demo=True).count()
    if have >= wanted:
        if stdout:
            stdout.write(f"  catalog: {have} demo records already there")
        return
    started = time.monotonic()
    data = demo_file(wanted - have, start=have + 1, branches=_branch_weights())
    built = time.monotonic() - started
    report = import_marc([io.BytesIO(data)], demo=True, batch_size=2000)
    if stdout:
        stdout.write(f"  catalog: {report.created} demo records and {report.items_created} items "
                     f"(built in {built:.1f} s, imported in {report.seconds:.1f} s, {report.rate:,.0f} records/s)")
        for line in report.file_errors:
            stdout.write(f"  catalog: {line}")
