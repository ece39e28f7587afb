"""Staff roles as Django groups (docs/architecture.md, Cross-cutting mechanisms; docs/admin/README.md, Roles).

Every app may declare in its own ``roles`` module a ``PERMISSIONS`` mapping from role key to
permission names (``"app_label.codename"``); ``sync_roles`` gives each group the union. "Where"
a role applies comes from dated branch assignments (``network.access``), not from the group.
"""
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

NETWORK_ADMIN = "network_admin"
BRANCH_LIBRARIAN = "branch_librarian"
BRANCH_STAFF = "branch_staff"
EXECUTIVE_VIEWER = "executive_viewer"
VOLUNTEER = "volunteer"

ROLE_NAMES = {
    NETWORK_ADMIN: _("Network admin"),
    BRANCH_LIBRARIAN: _("Branch librarian"),
    BRANCH_STAFF: _("Branch staff"),
    EXECUTIVE_VIEWER: _("Executive viewer"),
    VOLUNTEER: _("Volunteer"),
}

PERMISSIONS = {
    NETWORK_ADMIN: ["core.view_audit_history", "core.view_notificationattempt", "core.change_messagetemplate",
                    "core.view_messagetemplate", "core.view_accesslog"],
}


def group_for(role: str) -> Group:
    """Return the group of a role key (``network_admin``...), creating it if missing."""
    group, _created = Group.objects.get_or_create(name=role)
    return group


def declared_permissions() -> dict[str, set[str]]:
    """Collect every installed bkklib app's role permissions."""
    merged: dict[str, set[str]] = {role: set() for role in ROLE_NAMES}
    for config in apps.get_app_configs():
        if not config.name.startswith("bkklib."):
            continue
        try:
            perms = import_string(f"{config.name}.roles.PERMISSIONS")
        except ImportError:
            continue
        for role, names in perms.items():
            merged.setdefault(role, set()).update(names)
    return merged


def sync_roles() -> None:
    """Create the role groups and give each exactly its declared permissions.

    A handful of queries whatever the number of roles and permissions (it runs after every migrate
    and whenever a test makes a staff user): every permission's id in one query, every role group's
    current permissions in one more, and writes only for groups whose set differs.
    """
    declared = declared_permissions()
    perm_ids = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    groups = {group.name: group for group in Group.objects.filter(name__in=declared)}
    for role in declared:
        if role not in groups:
            groups[role] = group_for(role)
    through = Group.permissions.through
    current: dict[int, set[int]] = {group.pk: set() for group in groups.values()}
    for group_id, permission_id in through.objects.filter(group_id__in=current).values_list(
            "group_id", "permission_id"):
        current[group_id].add(permission_id)
    for role, names in declared.items():
        group = groups[role]
        wanted = {perm_ids[name] for name in names if name in perm_ids}
        if wanted != current[group.pk]:
            group.permissions.set(wanted)


def sync_after_migrate(sender, plan=None, **kwargs):
    """post_migrate receiver: keep groups in step with the code after every migrate.

    ``flush`` sends post_migrate without a plan; recreating groups then would clash with the
    rows a test's serialized rollback restores (same names, new ids), so only ``migrate`` syncs.
    """
    if plan is None:
        return
    if sender.name.startswith("bkklib."):
        sync_roles()
