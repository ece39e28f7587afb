"""Put the staff session's desk branch into every staff template."""
from . import access
from .models import Branch


def desk(request):
    """Add ``desk_branch`` (the branch this staff session works at) to the context."""
    if not request.path.startswith("/staff/") or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    branch_id = request.session.get(access.DESK_SESSION_KEY)
    return {"desk_branch": Branch.objects.filter(pk=branch_id).first() if branch_id else None}
