"""Create the three information pages with a first text; staff edit it afterwards (data, not code).

Only facts the division has published are stated (docs/architecture.md, Domain facts); fees and opening hours that
change are pointed to, not copied: the membership page shows the fee table from circulation.
"""
from django.db import migrations

PAGES = [
    {
        "slug": "about",
        "title_th": "เกี่ยวกับห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร",
        "title_en": "About Bangkok's public libraries",
        "body_th": (
            "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานครอยู่ในความดูแลของส่วนห้องสมุดและการเรียนรู้ "
            "สำนักงานนันทนาการและส่งเสริมการเรียนรู้ สำนักวัฒนธรรม กีฬา และการท่องเที่ยว กรุงเทพมหานคร\n\n"
            "เครือข่ายประกอบด้วยห้องสมุดประชาชน หอสมุดเมืองกรุงเทพมหานคร บ้านหนังสือในชุมชน "
            "และห้องสมุดเคลื่อนที่ บัตรสมาชิกใบเดียวใช้ได้ทุกแห่งในเครือข่าย: ยืมที่ห้องสมุดหนึ่ง "
            "คืนที่อีกแห่งหนึ่งได้\n\n"
            "ค้นหาหนังสือ ดูว่าห้องสมุดใดเปิดอยู่ใกล้คุณ จองและยืมต่อหนังสือ และติดตามข่าวกิจกรรมได้จากเว็บไซต์นี้"
        ),
        "body_en": (
            "Bangkok's public libraries (ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานคร) are run by the Library and "
            "Learning Division of the Office of Recreation and Learning Promotion, Culture, Sports and "
            "Tourism Department, Bangkok Metropolitan Administration.\n\n"
            "The network has public libraries, the Bangkok City Library, community reading houses and "
            "mobile libraries. One membership card works everywhere in the network: borrow at one "
            "library, return at another.\n\n"
            "On this site you can search the catalogue, see which library near you is open, reserve "
            "and renew books, and follow the news of activities."
        ),
    },
    {
        "slug": "contact",
        "title_th": "ติดต่อเรา",
        "title_en": "Contact",
        "body_th": (
            "ส่วนห้องสมุดและการเรียนรู้ สำนักงานนันทนาการและส่งเสริมการเรียนรู้ "
            "สำนักวัฒนธรรม กีฬา และการท่องเที่ยว กรุงเทพมหานคร\n\n"
            "ที่อยู่ เบอร์โทรศัพท์ อีเมล และช่องทางออนไลน์ของแต่ละห้องสมุดอยู่ในหน้าของห้องสมุดนั้น "
            "ดูได้ที่ /libraries/\n\n"
            "ข้อเสนอแนะหรือเรื่องร้องเรียนเกี่ยวกับบริการ แจ้งได้ที่เคาน์เตอร์ของห้องสมุดทุกแห่ง"
        ),
        "body_en": (
            "Library and Learning Division, Office of Recreation and Learning Promotion, Culture, "
            "Sports and Tourism Department, Bangkok Metropolitan Administration.\n\n"
            "The address, phone number, email and online channels of each library are on its own "
            "page: see /libraries/\n\n"
            "Suggestions and complaints about our services are welcome at the desk of any library."
        ),
    },
    {
        "slug": "membership",
        "title_th": "การสมัครสมาชิก ระเบียบ และค่าบำรุง",
        "title_en": "Membership rules and fees",
        "body_th": (
            "สมัครสมาชิกได้ที่ห้องสมุดทุกแห่ง หรือกรอกใบสมัครทางเว็บไซต์แล้วไปยืนยันตัวตนที่ห้องสมุด "
            "บัตรใบเดียวใช้ได้ทุกแห่งในเครือข่ายห้องสมุดกรุงเทพมหานคร\n\n"
            "เอกสารยืนยันตัวตน: บัตรประจำตัวประชาชน บัตรข้าราชการหรือบัตรนักเรียน นักศึกษา "
            "หนังสือรับรองจากโรงเรียนที่มีเลขประจำตัวประชาชน 13 หลัก หรือหนังสือเดินทาง\n\n"
            "สมาชิกอ่าน ยืม คืน และจองหนังสือ จองพื้นที่จัดกิจกรรม ใช้คอมพิวเตอร์และอินเทอร์เน็ตไร้สาย "
            "และสมัครเข้าร่วมกิจกรรมได้\n\n"
            "ค่าบำรุงสมาชิกรายปีแบ่งตามช่วงอายุ"
        ),
        "body_en": (
            "Join at any library, or fill in the application on this site and confirm your identity "
            "at a library. One card works at every library of the Bangkok network.\n\n"
            "Proof of identity: Thai national ID card, civil-servant or student card, a school letter "
            "with the 13-digit ID number, or a passport.\n\n"
            "Members may read, borrow, return and reserve books, book space for activities, use "
            "computers and Wi-Fi, and register for workshops.\n\n"
            "The annual membership fee depends on age."
        ),
    },
]


def create_pages(apps, schema_editor):
    InfoPage = apps.get_model("opac", "InfoPage")
    for page in PAGES:
        InfoPage.objects.get_or_create(slug=page["slug"], defaults=page)


class Migration(migrations.Migration):
    dependencies = [("opac", "0001_news_and_info_pages")]

    # Reverse is a no-op: the pages may have been edited since; dropping the table (0001's
    # reverse) removes them anyway.
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
