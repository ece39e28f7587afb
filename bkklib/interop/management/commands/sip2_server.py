"""``bkklib sip2_server --host 127.0.0.1 --port 6001``: serve SIP2 self-check terminals."""
import contextlib
import os
import signal

from django.core.management.base import BaseCommand
from django.db import connections

from bkklib.interop.sip2.server import Sip2Server


class Command(BaseCommand):
    help = "Serve SIP2 (3M Standard Interchange Protocol 2.00) for self-check machines and gates."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=6001)
        parser.add_argument("--idle-timeout", type=float, default=600, help="close a silent connection after N seconds")
        parser.add_argument("--processes", type=int, default=1,
                            help="serve from N processes sharing the socket (one per core; threads serve within each)")

    def handle(self, *args, host, port, idle_timeout, processes, **options):
        server = Sip2Server(host, port, idle_timeout=idle_timeout)
        self.stdout.write(f"SIP2 server on {host}:{server.port} ({processes} process(es))")
        self.stdout.flush()
        children = []
        connections.close_all()  # a forked child must open its own database connection
        for _ in range(max(0, processes - 1)):
            pid = os.fork()
            if pid == 0:  # child: serve from the inherited socket until killed
                signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
                try:
                    server.serve_forever()
                finally:
                    os._exit(0)
            children.append(pid)

        def stop(*_args):
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
