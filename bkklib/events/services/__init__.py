"""The events app's verbs (docs/architecture.md, Layers): registration, scheduling, attendance."""
from .attendance import add_photo, check_in, record_walk_ins, request_certificate, set_outcome
from .registration import GUEST_LIMIT, Guest, cancel, register, registration_spec
from .retention import anonymise_old_guests
from .schedule import cancel_session, save, schedule_sessions

__all__ = [
    "GUEST_LIMIT", "Guest", "add_photo", "anonymise_old_guests", "cancel", "cancel_session", "check_in",
    "record_walk_ins", "register", "registration_spec", "request_certificate", "save", "schedule_sessions",
    "set_outcome",
]
