"""Load the 50 Bangkok districts (shipped fixture) and the standard list of branch services."""
import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "bangkok_districts.json"

SERVICES = [
    ("co-working", "พื้นที่ทำงานร่วม (Co-working space)", "Co-working space"),
    ("e-library", "ห้องสมุดออนไลน์ (e-Library)", "e-Library"),
    ("children", "มุมเด็ก", "Children's area"),
    ("internet", "อินเทอร์เน็ตและ Wi-Fi", "Internet and Wi-Fi"),
    ("computers", "คอมพิวเตอร์บริการ", "Public computers"),
    ("universal-design", "สิ่งอำนวยความสะดวกสำหรับทุกคน (Universal Design)", "Universal Design facilities"),
    ("parking", "ที่จอดรถ", "Parking"),
    ("meeting-room", "ห้องประชุม/ห้องกิจกรรม", "Meeting or activity room"),
    ("exhibition", "พื้นที่จัดนิทรรศการ", "Exhibition space"),
    ("periodicals", "หนังสือพิมพ์และวารสาร", "Newspapers and periodicals"),
    ("printing", "ถ่ายเอกสารและพิมพ์งาน", "Printing and photocopying"),
    ("reading-activities", "กิจกรรมส่งเสริมการอ่าน", "Reading activities"),
]


def load(apps, schema_editor):
    District = apps.get_model("network", "District")
    Service = apps.get_model("network", "Service")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8"))["districts"]:
        District.objects.update_or_create(
            code=row["code"],
            defaults={"name_th": row["name_th"], "name_en": row["name_en"], "postal_code": row["postal_code"]},
        )
    for code, name_th, name_en in SERVICES:
        Service.objects.update_or_create(code=code, defaults={"name_th": name_th, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    # Reverse is a no-op: the tables themselves are dropped by reversing 0001.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
