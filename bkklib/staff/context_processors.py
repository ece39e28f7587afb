"""What every staff page shows in its header: the session's desk branch and the app's bar of pages."""
from bkklib.core import menus
from bkklib.network import access
from bkklib.network.models import Branch


def desk(request):
    """Add ``desk_branch`` (the branch this staff session works at) to the context."""
    if not request.path.startswith("/staff/") or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    branch_id = request.session.get(access.DESK_SESSION_KEY)
    return {"desk_branch": Branch.objects.filter(pk=branch_id).first() if branch_id else None}


def nav(request):
    """Add ``staff_nav``: the current app's pages for the header bar, from its ``menu`` module only."""
    if not request.path.startswith("/staff/") or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    return {"staff_nav": menus.nav_for(request.user, match.namespace if match else None)}
