"""Refusals of the spaces app, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotFound, Refused

# One message per reason code of rules.refusal: the patron reads exactly why, and what to do.
REFUSAL_MESSAGES = {
    "bad_range": _("The end time must be after the start time."),
    "in_past": _("This time has already passed. Choose a time from now on."),
    "beyond_window": _("Bookings open {window} days ahead: {space} can be booked until {last}."),
    "short_notice": _("Book at least {notice} minutes ahead."),
    "slot_length": _("Book {space} in slots of {slot} minutes."),
    "holiday": _("{day} is a public holiday: the library is closed."),
    "closed_day": _("The library is closed on {day} ({closure})."),
    "not_open": _("The library does not open on {day}."),
    "outside_hours": _("The booking must be within opening hours ({hours}): it cannot run past closing time."),
    "bad_people": _("A booking is for at least one person."),
    "over_capacity": _("{space} holds at most {capacity} people; you asked for {people}."),
    "suspended": _("You may not book spaces until {until} after repeated no-shows."),
    "category": _("{space} can be booked only by members of these categories: {categories}."),
    "too_young": _("{space} can be booked from the age of {age}."),
    "day_limit": _("You may book at most {limit} hours a day of this kind of space."),
    "week_limit": _("You may book at most {limit} hours a week of this kind of space."),
    "patron_inactive": _("This library card is not active: bookings need an active card."),
    "taken": _("{space} is already booked at this time. Choose another time or space."),
}


class BookingRefused(Refused):
    """A booking the rules do not allow; ``code`` is the rule's reason (rules.refusal)."""

    code = "booking_refused"
    status = 422
    message = _("This booking is not allowed.")

    def __init__(self, reason: str, **params):
        super().__init__(REFUSAL_MESSAGES.get(reason, self.message), code=reason, **params)


class SlotTaken(Conflict):
    code = "taken"
    message = REFUSAL_MESSAGES["taken"]


class SpaceNotBookable(Refused):
    code = "space_not_bookable"
    message = _("{space} cannot be booked online. Ask the library staff.")


class CancelRefused(Refused):
    code = "cancel_refused"
    message = _("This booking can no longer be cancelled online (until {cutoff} minutes before it starts). "
                "Please call the library.")


class CheckInRefused(Refused):
    code = "check_in_refused"
    message = _("Check-in is open from 15 minutes before the booking until its end.")


class BookingNotFound(NotFound):
    code = "booking_not_found"
    message = _("No booking with the code {code}.")


class BookingStateRefused(Conflict):
    code = "booking_state"
    message = _("This booking is {status}: it cannot be changed this way.")


class BadRepeat(InvalidInput):
    code = "bad_repeat"
    message = _("Repeat until a date after the first booking, at most one year ahead.")
