"""Branch scoping: the one helper that answers "at which branches may this user do this?".

Network admins (``network.act_at_all_branches``) act everywhere; everyone else acts at the
branches they are assigned to on the day in question (primary post or secondment). Scoping
governs what a branch owns (its data, staff, settings, local records); it never stops
circulation across the network: staff lend and return any item at the desk they work at.
"""
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bkklib.core import stamps
from bkklib.core.exceptions import NotPermitted

from .models import Branch, active_on_q

ALL_BRANCHES_PERM = "network.act_at_all_branches"


def assigned_branches(user, *, on: date | None = None) -> QuerySet[Branch]:
    """Return the branches ``user`` is assigned to on ``on`` (today by default)."""
    if not user or not user.is_authenticated:
        return Branch.objects.none()
    day = on or timezone.localdate()
    ids = (
        Branch.objects.filter(active_on_q(day, "assignments__"), assignments__staff__user=user)
        .values("pk")
    )
    return Branch.objects.filter(pk__in=ids)


def acts_everywhere(user) -> bool:
    """Return True for users who may act at every branch (network admins, superusers)."""
    return bool(user and user.is_authenticated and user.has_perm(ALL_BRANCHES_PERM))


RESTRUCTURE_PERM = "network.change_orgunit"


def may_restructure(user) -> bool:
    """Return True when ``user`` may draft, edit and schedule organisation structure versions.

    Only network admins (acting at all branches) with the ``change_orgunit`` permission may: the
    structure spans every branch, so branch scoping cannot grant it.
    """
    return acts_everywhere(user) and user.has_perm(RESTRUCTURE_PERM)


def branches_for(user, perm: str | None = None, *, on: date | None = None) -> QuerySet[Branch]:
    """Return the branches at which ``user`` may exercise ``perm`` (any perm when None)."""
    if not user or not user.is_authenticated:
        return Branch.objects.none()
    if perm and not user.has_perm(perm):
        return Branch.objects.none()
    if acts_everywhere(user):
        return Branch.objects.all()
    return assigned_branches(user, on=on)


@stamps.cached("access")
def assigned_branch_ids(user_id: int, day: date) -> frozenset[int]:
    """Return the ids of the branches user ``user_id`` is assigned to on ``day`` (kept per process)."""
    return frozenset(Branch.objects.filter(active_on_q(day, "assignments__"), assignments__staff__user_id=user_id)
                     .values_list("pk", flat=True))


def can_act_at(user, perm: str | None, branch: Branch, *, on: date | None = None) -> bool:
    """Return True when ``user`` may exercise ``perm`` at ``branch`` (no query once the process knows)."""
    if branch is None or branch.pk is None or not user or not user.is_authenticated:
        return False
    if perm and not user.has_perm(perm):
        return False
    if acts_everywhere(user):
        return True
    return branch.pk in assigned_branch_ids(user.pk, on or timezone.localdate())


def require(user, perm: str | None, *, at: Branch, on: date | None = None) -> None:
    """Raise NotPermitted unless ``user`` may exercise ``perm`` at branch ``at``."""
    if not can_act_at(user, perm, at, on=on):
        raise NotPermitted(
            code="not_at_this_branch",
            message=_("You may not do this at {branch}."),
            branch=getattr(at, "name_th", at),
        )


def require_at_codes(user, perm: str | None, data, *keys: str) -> None:
    """Raise NotPermitted unless ``user`` may exercise ``perm`` at the known branches ``data[key]`` names.

    For writes that name their branches (by code) in the request body: the branch scope is
    checked before the other records of the request are looked up. A missing or unknown code, or
    a body that is no mapping, is left to the input validation that follows.
    """
    if not hasattr(data, "get"):
        return
    codes = (data.get(key) for key in keys)
    wanted = {code for code in codes if isinstance(code, str) and code and "\x00" not in code}
    if not wanted:
        return
    for branch in Branch.objects.filter(code__in=wanted):
        require(user, perm, at=branch)


def scope(queryset: QuerySet, user, perm: str | None, *, field: str = "branch") -> QuerySet:
    """Filter ``queryset`` to rows whose ``field`` is a branch ``user`` may act at for ``perm``."""
    if acts_everywhere(user) and (perm is None or user.has_perm(perm)):
        return queryset
    return queryset.filter(**{f"{field}__in": branches_for(user, perm)})


DESK_SESSION_KEY = "bkklib_desk_branch"


def set_desk(request, branch: Branch) -> None:
    """Make ``branch`` the desk this staff session works at (must be one of the user's branches)."""
    require(request.user, None, at=branch)
    request.session[DESK_SESSION_KEY] = branch.pk


def desk_of(request, explicit: Branch | None = None) -> Branch:
    """Return the branch this request works at.

    An explicit desk (an API ``desk`` field) must be one of the user's branches; otherwise the
    desk chosen at log-in; otherwise the user's only branch. Raise NotPermitted when none fits.
    """
    user = request.user
    if explicit is not None:
        require(user, None, at=explicit)
        return explicit
    session = getattr(request, "session", None)
    desk_id = session.get(DESK_SESSION_KEY) if session is not None else None
    if desk_id:
        branch = Branch.objects.filter(pk=desk_id).first()
        if branch and can_act_at(user, None, branch):
            return branch
    mine = list(assigned_branches(user)[:2])
    if len(mine) == 1:
        return mine[0]
    raise NotPermitted(code="no_desk", message=_("Choose the branch (desk) you are working at first."))
