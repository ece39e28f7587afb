"""One visit record per place and day on SQLite too (COALESCE of the stop instead of NULLS NOT DISTINCT, which
SQLite lacks: the constraint was never created there). Records of one place and day that SQLite let in twice
are first merged into the earliest: counts added, texts joined, the first photo kept."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


COUNTS = ("children", "youth", "adults", "elderly", "items_lent", "items_returned")


def merge_duplicates(apps, schema_editor):
    VisitRecord = apps.get_model("outreach", "VisitRecord")
    seen = {}
    for visit in VisitRecord.objects.order_by("pk"):
        key = (visit.branch_id, visit.stop_id or 0, visit.day)
        first = seen.setdefault(key, visit)
        if first is visit:
            continue
        for name in COUNTS:
            setattr(first, name, getattr(first, name) + getattr(visit, name))
        for name in ("activities", "notes"):
            setattr(first, name, "\n".join(t for t in (getattr(first, name), getattr(visit, name)) if t))
        first.photo = first.photo or visit.photo
        first.trip_id = first.trip_id or visit.trip_id
        first.save()
        visit.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0004_branch_history_hours_services'),
        ('outreach', '0002_setup_history_and_hold_pickup'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='visitrecord',
            name='outreach_visit_one_per_place_day',
        ),
        migrations.AddConstraint(
            model_name='visitrecord',
            constraint=models.UniqueConstraint(models.F('branch'), django.db.models.functions.comparison.Coalesce('stop', models.Value(0)), models.F('day'), name='outreach_visit_one_per_place_day', violation_error_message='This place already has a visit record that day.'),
        ),
    ]
