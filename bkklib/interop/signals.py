"""Keep a tombstone of every deleted catalog record for OAI-PMH harvesters."""
from django.utils import timezone


def record_deleted(sender, instance, **kwargs):
    from .models import DeletedRecord

    DeletedRecord.objects.update_or_create(
        record_id=instance.pk,
        defaults={"deleted_at": timezone.now(), "set_specs": f"|type:{instance.material_type}|"},
    )


def record_saved(sender, instance, created, **kwargs):
    """A record that comes back under an id (a restore) is no longer deleted."""
    if created:
        from .models import DeletedRecord

        DeletedRecord.objects.filter(record_id=instance.pk).delete()
