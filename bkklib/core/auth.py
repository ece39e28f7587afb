"""Django's model permissions, kept per process until a permission, group or user changes.

``ModelBackend`` answers ``has_perm`` with two queries per request (the user's own permissions
and those of their groups); staff pages and every API call ask it. The answer depends only on
rows watched under the stamp topic ``access`` (core.apps), so it is kept per process and read
again as soon as one of them changes anywhere (``bkklib.core.stamps``).
"""
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from . import stamps


@stamps.cached("access")
def _permissions(user_id: int, is_superuser: bool) -> frozenset[str]:
    if is_superuser:
        rows = Permission.objects.values_list("content_type__app_label", "codename")
    else:
        fields = ("content_type__app_label", "codename")
        rows = (Permission.objects.filter(user__id=user_id).order_by().values_list(*fields)
                .union(Permission.objects.filter(group__user__id=user_id).order_by().values_list(*fields)))
    return frozenset(f"{app}.{codename}" for app, codename in rows)


class CachedModelBackend(ModelBackend):
    """ModelBackend whose ``get_all_permissions`` is one cached look-up (same answers)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _permissions(user_obj.pk, user_obj.is_superuser)
        return user_obj._perm_cache
