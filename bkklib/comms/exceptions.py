"""Refusals of the comms app, each with a stable code and a Thai message naming the reason."""
from django.utils.translation import gettext_lazy as _

from bkklib.core.exceptions import Conflict, InvalidInput, NotPermitted, Refused

ACTION_REFUSALS = {
    "unknown_action": _("There is no such step for a post."),
    "no_permission": _("You may not {verb}."),
    "own_post": _("You wrote “{title}”: another person must review and approve it."),
    "wrong_state": _("“{title}” is {state}: it cannot be {action} now."),
}

ACTION_NAMES = {
    "submit": _("sent for review"),
    "approve": _("approved"),
    "return": _("returned to draft"),
    "schedule": _("scheduled"),
    "unschedule": _("taken off the schedule"),
    "retry": _("tried again"),
}


ACTION_VERBS = {
    "submit": _("send posts for review"),
    "approve": _("approve posts"),
    "return": _("return posts to their authors"),
    "schedule": _("schedule posts"),
    "unschedule": _("take posts off the schedule"),
    "retry": _("try failed posts again"),
}


class ActionRefused(Refused):
    code = "action_refused"
    status = 409

    def __init__(self, reason: str, **params):
        super().__init__(ACTION_REFUSALS[reason], code=reason, **params)
        if reason in ("no_permission", "own_post"):
            self.status = 403


class TooLong(InvalidInput):
    code = "too_long"
    message = _("The text for {channel} is {length} characters long; {kind} takes at most {limit}. "
                "Shorten it by {over} characters.")


class BadHashtag(InvalidInput):
    code = "bad_hashtag"
    message = _("The hashtag “{tag}” may only contain letters, digits and “_” (no spaces or punctuation).")


class NotEditable(Conflict):
    code = "not_editable"
    message = _("“{title}” is {state}: return it to draft before changing it.")


class NoChannels(InvalidInput):
    code = "no_channels"
    message = _("Choose at least one channel for “{title}”.")


class ChannelInactive(InvalidInput):
    code = "channel_inactive"
    message = _("The channel {channel} is not in use.")


class NoTime(InvalidInput):
    code = "no_time"
    message = _("Give the time to publish “{title}”.")


class TimeInPast(InvalidInput):
    code = "time_in_past"
    message = _("The time to publish “{title}” has already passed: choose a later time.")


class NoAltText(InvalidInput):
    code = "no_alt_text"
    message = _("Describe the image in Thai for people who cannot see it.")


class BadCsv(InvalidInput):
    code = "bad_csv"
    message = _("This file is not a Meta Business Suite post export: the column “{column}” is missing.")


class NotAtBranch(NotPermitted):
    code = "not_at_this_branch"
    message = _("You may not do this for {branch}.")
