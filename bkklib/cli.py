"""The ``bkklib`` console script: Django's management commands with bkklib's settings."""
import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``bkklib migrate``, ``bkklib import_marc FILE``...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bkklib.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
