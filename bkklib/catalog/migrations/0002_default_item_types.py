"""Load the item types every BMA library starts with (editable afterwards)."""
from django.db import migrations

ITEM_TYPES = [
    ("book", "หนังสือทั่วไป", "Book"),
    ("children", "หนังสือเด็ก", "Children's book"),
    ("reference", "หนังสืออ้างอิง", "Reference (library use only)"),
    ("magazine", "วารสารและนิตยสาร", "Magazine"),
    ("media", "สื่อโสตทัศน์", "Audio-visual media"),
]


def forwards(apps, schema_editor):
    ItemType = apps.get_model("catalog", "ItemType")
    for code, name_th, name_en in ITEM_TYPES:
        ItemType.objects.get_or_create(code=code, defaults={"name_th": name_th, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_records_items_imports")]

    # Reverse is a no-op: the types may already be used by items and loan policies.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
