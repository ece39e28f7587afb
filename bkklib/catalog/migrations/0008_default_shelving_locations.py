"""Name the shelving-location codes BMA libraries and their Koha exports use (editable afterwards)."""
from django.db import migrations

SHELVING_LOCATIONS = [
    ("GEN", "ชั้นหนังสือทั่วไป", "General shelves"),
    ("REF", "มุมหนังสืออ้างอิง", "Reference"),
    ("NEW", "ชั้นหนังสือใหม่", "New books"),
    ("CHILD", "มุมหนังสือเด็ก", "Children's corner"),
    ("PERIODICAL", "มุมวารสาร", "Periodicals"),
    ("DISPLAY", "ชั้นจัดแสดง", "Display"),
    ("STACKS", "คลังหนังสือ", "Closed stacks"),
]


def forwards(apps, schema_editor):
    ShelvingLocation = apps.get_model("catalog", "ShelvingLocation")
    for code, name_th, name_en in SHELVING_LOCATIONS:
        ShelvingLocation.objects.get_or_create(code=code, defaults={"name_th": name_th, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_shelving_location")]

    # Reverse is a no-op: dropping the table (0007 reversed) removes the names anyway.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
