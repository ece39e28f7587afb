"""The browser reader's one write: where a patron stopped reading a title."""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ..models import ReadingPosition


def remember_position(*, patron, title, location: str, progress: float, now: datetime | None = None) -> ReadingPosition:
    """Keep ``location`` (an EPUB CFI) and ``progress`` (0–1) as the patron's place in ``title``."""
    position, _created = ReadingPosition.objects.update_or_create(patron=patron, title=title, defaults={
        "location": location[:500], "progress": min(1.0, max(0.0, progress)), "updated_at": now or timezone.now()})
    return position
