"""Data: the Universal Design checklist (version 2548-2564-r1) and the species list (fixtures/PROVENANCE.md)."""
from django.db import migrations


def load(apps, schema_editor):
    from bkklib.facilities.checklist import load_checklist, load_species

    load_checklist(apps.get_model("facilities", "Checklist"), apps.get_model("facilities", "ChecklistItem"))
    load_species(apps.get_model("facilities", "Species"))


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
