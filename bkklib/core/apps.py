"""The core app: what every bkklib app uses."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bkklib.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.models import Group, Permission

        from . import (
            health,  # noqa: F401  (registers check --deploy's "a node keeps nothing of its own")
            roles,
            stamps,
        )
        from .models import User

        # Roles are groups whose permissions every app declares in its own roles module.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="bkklib.core.roles.sync")
        post_migrate.connect(stamps.forget_after_migrate, dispatch_uid="bkklib.core.stamps.forget")
        # Who may do what: the permission cache of the auth backend (core.auth) follows these.
        stamps.watch("access", User, Group, Permission, User.groups.through, User.user_permissions.through,
                     Group.permissions.through)
