"""Fake Facebook Graph, LINE Messaging and X API servers: real HTTP on 127.0.0.1, the real shapes.

A ``FakeApi`` records every request (method, path, query, headers, body) and answers from a script:
``answer(method, path, status, body, headers)`` queues answers for a route (the last one repeats).
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body or b"{}")

    @property
    def form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class FakeApi:
    requests: list[Seen] = field(default_factory=list)
    script: dict = field(default_factory=dict)
    delay: float = 0.0

    def answer(self, method: str, path: str, status: int, body=None, headers: dict | None = None):
        self.script.setdefault((method, path), []).append((status, body if body is not None else {}, headers or {}))

    def respond(self, seen: Seen):
        queue = self.script.get((seen.method, seen.path))
        if not queue:
            return 404, {"error": {"message": "Unknown path", "code": 803}}, {}
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def start(self):
        api = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, url.path, {k: v[0] for k, v in parse_qs(url.query).items()},
                            {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
                with lock:
                    api.requests.append(seen)
                    status, body, headers = api.respond(seen)
                if api.delay:
                    import time

                    time.sleep(api.delay)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# ---- the services' real answers ---------------------------------------------------------------------

def fb_error(code: int, message: str, subcode: int | None = None, kind: str = "OAuthException") -> dict:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


FB_EXPIRED = fb_error(190, "Error validating access token: Session has expired on Sunday, 06-Dec-26 10:00:00 PST.",
                      463)
FB_RATE = fb_error(32, "Page request limit reached", kind="OAuthException")
LINE_AUTH = {"message": "Authentication failed. Confirm that the access token in the authorization header is valid."}
LINE_RATE = {"message": "The API rate limit has been exceeded. Try again later."}
X_UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
X_RATE = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}
X_V1_AUTH = {"errors": [{"code": 32, "message": "Could not authenticate you."}]}
