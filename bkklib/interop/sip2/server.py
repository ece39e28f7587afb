"""The SIP2 server: a thread per terminal connection, frames cut at CR, answers from ``handlers.Session``.

Many terminals connect at once; one that disconnects mid-message, sends garbage or floods the
server only loses its own connection. A frame longer than ``codec.MAX_FRAME`` without a CR is
answered with 96 and dropped; an idle connection is closed after ``idle_timeout`` seconds.
"""
from __future__ import annotations

import logging
import socketserver
import threading

from django.db import connections

from . import codec
from .handlers import Session

log = logging.getLogger("bkklib.sip2")


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        peer = f"{self.client_address[0]}:{self.client_address[1]}"
        session = Session(peer=peer)
        self.request.settimeout(self.server.idle_timeout)
        buffer = b""
        try:
            while True:
                try:
                    chunk = self.request.recv(4096)
                except OSError:  # timeouts and resets included
                    return
                if not chunk:
                    return
                buffer += chunk
                while b"\r" in buffer or b"\n" in buffer:
                    cut = min(i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0)
                    frame, buffer = buffer[:cut], buffer[cut + 1:]
                    if not frame.strip():
                        continue
                    self.request.sendall(session.handle(frame))
                if len(buffer) > codec.MAX_FRAME:
                    self.request.sendall(b"96\r")
                    buffer = b""
        except (ConnectionError, OSError):
            return
        finally:
            connections.close_all()  # this thread's database connection


class Sip2Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, host: str = "127.0.0.1", port: int = 6001, *, idle_timeout: float = 600):
        self.idle_timeout = idle_timeout
        super().__init__((host, port), _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="sip2-server", daemon=True)
        thread.start()
        return thread
