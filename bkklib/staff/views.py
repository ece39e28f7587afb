"""Staff shell views: log out, the desk branch of this session, the home page by role.

Log-in is in login.py, two-factor log-in in twofactor.py.
"""
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bkklib.core import menus
from bkklib.core.collation import thai_ordered
from bkklib.core.redirects import safe_next
from bkklib.network import access
from bkklib.network.models import Branch


class StaffLogoutView(auth_views.LogoutView):
    next_page = "staff-login"


class DeskForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=Branch.objects.none(), label=gettext_lazy("Service point"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = access.branches_for(user).select_related("district")
        thai_ordered(self.fields["branch"])


@login_required
def choose_desk(request):
    """Choose the branch this session works at, among the user's branches today."""
    form = DeskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        access.set_desk(request, form.cleaned_data["branch"])
        messages.success(request, _("You are now working at {branch}.").format(branch=form.cleaned_data["branch"]))
        return redirect(safe_next(request, "staff-home"))
    return render(request, "staff/choose_desk.html", {"form": form})


def current_desk(request):
    """Return the desk branch of this session, or None when none is chosen yet."""
    branch_id = request.session.get(access.DESK_SESSION_KEY)
    return Branch.objects.filter(pk=branch_id).first() if branch_id else None


@login_required
def home(request):
    """The staff home page: what needs doing at this desk (counts, each linking to its list), a scan box, the apps.

    Each app contributes its to-dos, counted by its own queries, and its pages through its
    ``menu`` module (``bkklib.core.menus``); this page knows none of them.
    """
    desk, today = current_desk(request), timezone.localdate()
    if desk is None:  # one assignment today: that branch is the desk without asking
        mine = list(access.assigned_branches(request.user)[:2])
        desk = mine[0] if len(mine) == 1 else None
    groups: dict[str, dict] = {}
    for item in menus.items_for(request.user):
        groups.setdefault(item["app"], {"name": item["app_name"], "items": []})["items"].append(item)
    return render(request, "staff/home.html", {
        "groups": list(groups.values()), "todos": menus.todos_for(request.user, desk, today),
        "scan": menus.scan_target_for(request.user), "desk": desk, "today": today,
    })
