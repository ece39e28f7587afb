"""``bkklib demo_logins``: print the demo log-ins each app's demo module declares (``LOGINS``)."""
import importlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo log-ins (user name, password, role) created by seed_demo."

    def handle(self, *args, **options):
        User = get_user_model()
        rows = []
        for config in apps.get_app_configs():
            if not config.name.startswith("bkklib."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            for login in getattr(module, "LOGINS", []):
                if User.objects.filter(username=login["username"]).exists():
                    rows.append(login)
        if not rows:
            self.stdout.write("  no demo log-ins yet: run `bkklib seed_demo` first")
            return
        self.stdout.write("  demo log-ins (synthetic demo data only; change or remove them in production):")
        width = max(len(r["username"]) for r in rows)
        pwidth = max(len(r["password"]) for r in rows)
        for r in rows:
            self.stdout.write(f"    {r['username']:<{width}}  {r['password']:<{pwidth}}  {r['what']}")
