"""The GECC (ศูนย์ราชการสะดวก) evidence checklist as data: the points a unit shows at the assessment
(docs/admin/cases.md). The exact scoring is not published, so each point is a row the division edits."""
from django.db import migrations

POINTS = [
    ("standards", "ประกาศมาตรฐานและระยะเวลาการให้บริการต่อสาธารณะ", "/contact/standards/"),
    ("channels", "มีช่องทางติดต่อและช่องทางร้องเรียนสำหรับผู้รับบริการทุกกลุ่ม (เว็บไซต์ โทรศัพท์ ติดต่อด้วยตนเอง LINE หนังสือ)",
     "/contact/"),
    ("receive", "มีขั้นตอนรับเรื่องร้องเรียนและออกเลขติดตามเรื่องให้ผู้แจ้ง", "/contact/"),
    ("route", "ส่งต่อเรื่องถึงหน่วยงานผู้รับผิดชอบตามประเภทเรื่องและพื้นที่", "/staff/cases/"),
    ("root-cause", "แก้ไขที่สาเหตุที่แท้จริงและกำหนดแนวทางป้องกันการเกิดซ้ำก่อนปิดเรื่อง", "/staff/cases/report/"),
    ("close", "แจ้งผลและปิดเรื่องภายในระยะเวลาที่กำหนด", "/staff/cases/report/"),
    ("satisfaction", "วัดความพึงพอใจของผู้รับบริการและนำผลมาปรับปรุง", "/staff/cases/report/"),
    ("signage", "ป้ายบอกทางและจุดบริการที่ชัดเจน เข้าถึงได้ทุกกลุ่ม", ""),
]


def add_points(apps, schema_editor):
    EvidenceItem = apps.get_model("cases", "EvidenceItem")
    for order, (code, requirement, link) in enumerate(POINTS, start=1):
        EvidenceItem.objects.get_or_create(code=code, defaults={"order": order, "requirement": requirement,
                                                                "links": link})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add_points, migrations.RunPython.noop)]
