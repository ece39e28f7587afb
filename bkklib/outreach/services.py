"""The verbs of outreach: plan trips on the calendar, record visits, move deposit collections,
make and revoke volunteer accounts, and apply the volunteer desk's queued actions (``sync``).

Every verb is keyword-only, takes ``now`` for the clock, runs in one transaction and audits who
did it (core.history). Lending and returning are circulation's ``checkout``/``checkin`` at the
reading house's or vehicle's branch, so an item's status and location stay the network's truth.

The verbs live by sub-domain: trips and visits in ``trips``, deposit collections in ``deposits``,
volunteer accounts and the desk's sync in ``desk``; this module keeps every public name.
"""
from __future__ import annotations

from ._common import _now, _require
from .deposits import (
    create_deposit,
    recall_deposit,
    recalled_deposit_of,
    receive_deposit,
    return_deposit,
    send_deposit,
)
from .desk import (
    CLOCK_SKEW,
    MAX_BATCH,
    ActionResult,
    SyncResult,
    create_volunteer,
    resolve_action,
    revoke_volunteer,
    sync,
)
from .trips import change_trip, plan_trips, record_visit, replan_for_closure

__all__ = [
    "CLOCK_SKEW", "MAX_BATCH", "ActionResult", "SyncResult", "_now", "_require", "change_trip", "create_deposit",
    "create_volunteer", "plan_trips", "recall_deposit", "recalled_deposit_of", "receive_deposit", "record_visit",
    "replan_for_closure", "resolve_action", "return_deposit", "revoke_volunteer", "send_deposit", "sync",
]
