"""``bkklib seed_demo``: load every app's demo data, lowest app first (idempotent)."""
import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the synthetic demo data of every bkklib app (idempotent; labelled as demo data)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="app labels to seed (default: all)")
        parser.add_argument("--scale", type=float, default=1.0, help="size factor for large demo sets")

    def handle(self, *args, only=None, scale=1.0, **options):
        for config in apps.get_app_configs():  # INSTALLED_APPS order is the dependency order
            if not config.name.startswith("bkklib.") or (only and config.label not in only):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            started = time.monotonic()
            self.stdout.write(f"demo: {config.label} ...")
            module.run(stdout=self.stdout, scale=scale)
            self.stdout.write(f"demo: {config.label} done in {time.monotonic() - started:.1f} s")
