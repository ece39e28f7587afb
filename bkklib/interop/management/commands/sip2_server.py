"""``bkklib sip2_server --host 127.0.0.1 --port 6001``: serve SIP2 self-check terminals."""
from django.core.management.base import BaseCommand

from bkklib.interop.sip2.server import Sip2Server


class Command(BaseCommand):
    help = "Serve SIP2 (3M Standard Interchange Protocol 2.00) for self-check machines and gates."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=6001)
        parser.add_argument("--idle-timeout", type=float, default=600, help="close a silent connection after N seconds")

    def handle(self, *args, host, port, idle_timeout, **options):
        server = Sip2Server(host, port, idle_timeout=idle_timeout)
        self.stdout.write(f"SIP2 server on {host}:{server.port}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
