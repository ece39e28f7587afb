"""Refusals of outreach, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, NotPermitted, Refused


class DepositRefused(Refused):
    code = "deposit_refused"
    status = 409
    message = _("This deposit collection cannot change now.")


class NotAReadingHouse(InvalidInput):
    code = "not_a_reading_house"
    message = _("{branch} is not a community reading house: deposits go to reading houses.")


class ItemNotDepositable(Conflict):
    code = "item_not_depositable"
    message = _("Item {barcode} cannot go in the deposit: {reason}")


class AccountRevoked(NotPermitted):
    code = "account_revoked"
    status = 403
    message = _("This volunteer account was revoked on {date}: its actions are kept for staff to check, none was "
                "applied. Ask the library for a new account.")


class NotAVolunteer(NotPermitted):
    code = "not_a_volunteer"
    status = 403
    message = _("This user has no volunteer desk account.")


class BadBatch(InvalidInput):
    code = "bad_batch"
    message = _("The batch of actions is not valid: {reason}")


class VolunteerRefused(InvalidInput):
    code = "volunteer_refused"
    message = _("The volunteer account cannot be made: {reason}")


class TripNotFound(NotFound):
    code = "trip_not_found"
    message = _("No such trip.")


# Codes of conflicts a synced action may meet, with their Thai messages (shown to the volunteer and
# in the staff's conflict list).
CONFLICTS = {
    "unknown_barcode": _("No item has the barcode {barcode}: check the label and lend it at the library."),
    "unknown_card": _("No library card has the number {card}."),
    "already_returned": _("Item {barcode} was not on loan when it was returned here: it was returned elsewhere "
                          "meanwhile, or never lent."),
    "deposit_recalled": _("The deposit collection of item {barcode} is recalled: it may not be lent any more."),
    "visit_counts": _("A visit count needs whole numbers of zero or more."),
}


class SetupInvalid(InvalidInput):
    """Bad set-up of a vehicle, route, stop or timetable; ``code`` names which rule (see SETUP)."""

    code = "outreach_setup_invalid"

    def __init__(self, code: str, *, field: str | None = None, **params):
        super().__init__(SETUP[code], code=code, field=field, **params)


SETUP = {
    "plate_format": _("A licence plate is written like 40-1234 กรุงเทพมหานคร or 1กข 1234: “{plate}” is not."),
    "plate_taken": _("Another vehicle already has the licence plate {plate}."),
    "not_a_mobile_unit": _("{branch} is not a mobile unit: a vehicle belongs to a network branch of kind mobile "
                           "unit."),
    "unit_has_vehicle": _("{branch} already has a vehicle ({vehicle})."),
    "vehicle_retired": _("The vehicle {vehicle} is retired: choose a vehicle in service."),
    "route_code_taken": _("Another route already has the code {value}."),
    "stop_code_taken": _("Another stop already has the code {value}."),
    "coordinates_pair": _("Give both latitude and longitude, or neither."),
    "outside_bangkok": _("The point {lat}, {lon} is outside Bangkok: check the coordinates (Bangkok lies at "
                         "latitude 13.5–14.0 and longitude 100.3–100.95)."),
    "departs_before_arrival": _("The vehicle must leave after it arrives: departure {departs} is not after "
                                "arrival {arrives}."),
    "weekday_or_date": _("Choose either a weekday (every week) or one date, not both and not neither."),
    "validity": _("The timetable cannot end ({until}) before it starts ({start})."),
    "date_outside_validity": _("The date {date} is outside the period the timetable is valid."),
    "timetable_overlap": _("The vehicle {vehicle} is already due at {stop} then ({when}, {arrives}–{departs}): "
                           "the times overlap."),
    "maintenance_range": _("The maintenance cannot end ({until}) before it starts ({start})."),
    "cost_negative": _("A cost cannot be negative."),
    "hold_not_here": _("This reservation is not waiting at this stop."),
}
