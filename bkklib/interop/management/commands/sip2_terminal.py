"""``bkklib sip2_terminal LOGIN --branch CODE --name "..."``: set up a SIP2 terminal (password asked or --password)."""
import getpass

from django.core.management.base import BaseCommand, CommandError

from bkklib.core.exceptions import DomainError
from bkklib.interop import services
from bkklib.interop.models import Sip2Terminal
from bkklib.network.models import Branch


class Command(BaseCommand):
    help = "Set up a SIP2 self-check terminal at a branch, with its service account."

    def add_arguments(self, parser):
        parser.add_argument("login")
        parser.add_argument("--branch", required=True, help="branch code")
        parser.add_argument("--name", default="", help="where it stands")
        parser.add_argument("--password", help="at least 8 characters (asked when left out)")
        parser.add_argument("--charset", choices=Sip2Terminal.Charset.values, default="utf-8")
        parser.add_argument("--dates", choices=Sip2Terminal.DateStyle.values, default="ce")
        parser.add_argument("--no-checksums", action="store_true", help="turn error detection (AY/AZ) off")
        parser.add_argument("--institution", default="BKKLIB")

    def handle(self, *args, **o):
        branch = Branch.objects.filter(code=o["branch"]).first()
        if branch is None:
            raise CommandError(f"No branch with code {o['branch']!r}.")
        password = o["password"] or getpass.getpass("Terminal password: ")
        try:
            terminal = services.create_terminal(
                login=o["login"], password=password, name=o["name"] or o["login"], branch=branch,
                charset=o["charset"], date_style=o["dates"], error_detection=not o["no_checksums"],
                institution_id=o["institution"])
        except DomainError as exc:
            raise CommandError(exc.text) from None
        self.stdout.write(f"Terminal {terminal.login} set up at {branch.code}.")
